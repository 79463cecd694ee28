//! The browser app: restores a backed-up Exchange mailbox to its original location
//! through the Veeam Backup for Microsoft 365 REST API.
//!
//! Rules live in the `restore-core` crate; this crate adds what needs a browser: fetch
//! ([`client`]), the File API ([`certificate_file`]), the loading of the certificate check's
//! own wasm module ([`certificate_module`]), the clock, and the views.

pub mod certificate_file;
pub mod certificate_module;
pub mod client;
pub mod clock;
pub mod components;
pub mod fetch;
pub mod guided;
pub mod in_flight;
pub mod state;
pub mod tab_lock;

pub use components::app::App;
