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

/// Room for wasm-split to lay the data out again. It moves each module's data next to each other and
/// aligns every module's block, which can make the data a few bytes longer than the linker's layout;
/// then it gives up and keeps *all* data in the main module (`Overlong segment … putting it in main
/// module`), which costs the first load about 37 kB. These bytes are in the linker's layout
/// (`#[used]` keeps them) but no code reads them, so the split output drops them: the layout gets a
/// kilobyte of slack. scripts/build-app.sh fails the build if the warning comes back anyway.
#[used]
static SPLIT_DATA_SLACK: [u8; 1021] = [0x5a; 1021];
