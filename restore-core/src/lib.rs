//! Everything the restore client does that needs no browser: identifiers, the credential
//! forms and the restore request body, field validation, certificate encoding, the API's
//! addresses, and parsing of its responses and errors.
//!
//! The browser crate calls these functions and only adds fetch, the File API and the view.
//! Nothing here performs I/O, so every rule is covered by plain host tests.

pub mod api;
pub mod certificate;
pub mod certificate_check;
pub mod config;
pub mod credentials;
pub mod decimal;
pub mod error;
pub mod form;
pub mod ids;
pub mod in_flight;
pub mod json;
pub mod location;
pub mod model;
pub mod outcome;
pub mod pfx;
pub mod secret;
pub mod time;
pub mod token;

pub use uuid::Uuid;
pub mod browse;
pub mod bulk;
pub mod export;
pub mod point_in_time;
pub mod search;
pub mod zero_on_free;
