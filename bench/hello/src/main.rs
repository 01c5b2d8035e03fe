//! A Yew hello-world: one function component rendered into the body, nothing else.

use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! {
        <main>
            <h1 id="hello">{ "Hello, world" }</h1>
        </main>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
