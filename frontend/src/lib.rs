#![recursion_limit = "256"]
//! The wasm entry point: hydrates the server-rendered page and nothing else.

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::hydrate_islands();
}
