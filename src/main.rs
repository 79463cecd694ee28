use restore_core::zero_on_free::ZeroOnFree;

/// Every freed block of wasm memory is zeroed, so passwords and certificates leave no
/// stale copies behind once the page drops them (see `restore_core::zero_on_free`).
#[global_allocator]
static ALLOCATOR: ZeroOnFree<std::alloc::System> = ZeroOnFree(std::alloc::System);

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(restore_app::App);
}
