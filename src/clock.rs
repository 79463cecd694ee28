//! Wall-clock time for countdowns and elapsed times.

use std::time::Duration;

use leptos::prelude::*;

/// Milliseconds since the Unix epoch, from the browser's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Returns a signal that holds [`now_ms`] and is updated every second, for the device code
/// countdown and the elapsed time of a running restore.
pub fn ticking_clock() -> ReadSignal<f64> {
    let (now, set_now) = signal(now_ms());
    if let Ok(handle) =
        set_interval_with_handle(move || set_now.set(now_ms()), Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    now
}
