//! The views. They render state from [`crate::state`] and call [`crate::client`]; rules
//! and parsing stay in `restore-core`.

pub mod app;
pub mod certificate_picker;
pub mod certificate_status;
pub mod credential_fields;
pub mod device_code;
pub mod field;
pub mod guided;
pub mod restore_form;
pub mod results;
pub mod sign_in;
