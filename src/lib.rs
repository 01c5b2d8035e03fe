//! The dnslab web app: Yew components that show what dnslab-core makes of the user's input.
//!
//! Components hold no protocol logic; every byte and every decoded value comes from dnslab-core
//! (its `page` façade). State lives in one store (`state`), changed only through its actions.

pub mod api;
pub mod app;
pub mod bridge;
pub mod browser;
pub mod components;
pub mod state;

pub use app::App;
