//! The dnslab web app: Yew components that show what dnslab-core makes of the user's input.
//!
//! Components hold no protocol logic; every byte and every decoded value comes from dnslab-core.

pub mod app;
pub mod components;

pub use app::App;
