//! A lock shared by every tab of this browser on this origin, so one mailbox is not
//! restored twice at once from two tabs. It uses the Web Locks API
//! (`navigator.locks.request` with `ifAvailable`).

use futures::channel::oneshot;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// A held lock; dropping it releases the lock.
pub struct TabLock {
    release: Function,
}

impl Drop for TabLock {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::NULL);
    }
}

/// Result of [`try_lock`].
pub enum LockOutcome {
    Acquired(TabLock),
    /// Another tab holds the lock.
    Busy,
    /// The browser has no Web Locks API (an insecure context or an old browser), so tabs
    /// cannot coordinate.
    Unsupported,
}

/// Takes the lock `name` if no other tab holds it, without waiting.
pub async fn try_lock(name: &str) -> LockOutcome {
    let Some(window) = web_sys::window() else {
        return LockOutcome::Unsupported;
    };
    let locks = Reflect::get(&window.navigator(), &JsValue::from_str("locks"))
        .unwrap_or(JsValue::UNDEFINED);
    let request = Reflect::get(&locks, &JsValue::from_str("request"))
        .ok()
        .and_then(|value| value.dyn_into::<Function>().ok());
    let Some(request) = request else {
        return LockOutcome::Unsupported;
    };

    // The lock is held until `hold` settles, which happens when `release` is called.
    let mut release = None;
    let hold = Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let Some(release) = release else {
        return LockOutcome::Unsupported;
    };

    let (sender, receiver) = oneshot::channel::<bool>();
    let mut sender = Some(sender);
    // `once_into_js` frees the closure after the browser has called it.
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let acquired = !lock.is_null() && !lock.is_undefined();
        if let Some(sender) = sender.take() {
            let _ = sender.send(acquired);
        }
        if acquired {
            hold.into()
        } else {
            JsValue::UNDEFINED
        }
    });

    let options = Object::new();
    let _ = Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let called = request.call3(&locks, &JsValue::from_str(name), &options, &callback);
    if called.is_err() {
        return LockOutcome::Unsupported;
    }

    match receiver.await {
        Ok(true) => LockOutcome::Acquired(TabLock { release }),
        Ok(false) => LockOutcome::Busy,
        Err(_) => LockOutcome::Unsupported,
    }
}

/// The message shown when another tab is restoring the same mailbox.
pub const ANOTHER_TAB: &str = "This mailbox is being restored from another tab of this browser. \
     Wait for that restore to finish there; nothing was sent from this tab.";

/// The lock name of one mailbox in one restore session.
pub fn mailbox_lock_name(session_id: &str, mailbox_id: &str) -> String {
    format!("vb365-restore:{session_id}:{mailbox_id}")
}
