//! Browser entry point: mounts the app on `<body>`.

fn main() {
    // No panic hook: the release build aborts on panic (`panic = "abort"`), and the hook's formatting
    // machinery costs kilobytes of the first-load budget. Debug builds still print panics to the console.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(entitle_app::App);
}
