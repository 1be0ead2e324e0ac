//! Browser entry point: mounts the app on `<body>`.

fn main() {
    // No panic hook: the release build aborts on panic (`panic = "abort"`), and the hook's formatting
    // machinery costs kilobytes of the first-load budget. Debug builds still print panics to the console.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    // index.html paints the header bar while the app loads; the app's own header takes its place.
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(entitle_app::App);
}
