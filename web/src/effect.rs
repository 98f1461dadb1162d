//! The page's effects with dependencies, through one instance of Yew's effect hook.
//!
//! Yew's `use_effect_with` is generic over its dependencies, its effect and the effect's
//! tear-down, so each call compiles the hook's machinery again (its state, its
//! `rendered` and its drop: about 440 bytes before wasm-opt, 19 times in the page).
//! [`use_effect_on`] calls it with one type for all three: the dependencies boxed with
//! their own comparison, the effect and its tear-down boxed closures. What is left per
//! call is the effect itself and a few lines that box it. It runs exactly as
//! `use_effect_with` does: after a render whose dependencies differ (`!=`) from those of
//! the last run, the last run's tear-down first.

use std::any::Any;
use yew::functional::{use_effect_with, Hook, TearDown};

/// Dependencies of any type, compared as their own type.
struct Deps {
    value: Box<dyn Any>,
    same: fn(&dyn Any, &dyn Any) -> bool,
}

impl Deps {
    fn new<T: PartialEq + 'static>(value: T) -> Self {
        Deps {
            value: Box::new(value),
            same: |a, b| a.downcast_ref::<T>() == b.downcast_ref::<T>(),
        }
    }

    /// The value, which is a `T` (the effect that reads it was boxed with it).
    fn get<T: 'static>(&self) -> &T {
        self.value
            .downcast_ref()
            .expect("an effect reads the dependencies it was given")
    }
}

impl PartialEq for Deps {
    fn eq(&self, other: &Deps) -> bool {
        (self.same)(&*self.value, &*other.value)
    }
}

/// An effect as the one instance of Yew's hook runs it.
type Effect = Box<dyn FnOnce(&Deps) -> Box<dyn FnOnce()>>;

/// Runs `effect` after a render whose `deps` differ from the last run's, as Yew's
/// `use_effect_with` does (the last run's tear-down first, and on unmount), compiled
/// once for every dependency and effect type (see the module documentation).
pub fn use_effect_on<T, D>(
    deps: T,
    effect: impl FnOnce(&T) -> D + 'static,
) -> impl Hook<Output = ()>
where
    T: PartialEq + 'static,
    D: TearDown,
{
    let effect: Effect = Box::new(move |deps: &Deps| {
        let tear_down = effect(deps.get::<T>());
        Box::new(move || tear_down.tear_down())
    });
    #[allow(clippy::disallowed_methods)] // the one call: see the module documentation
    use_effect_with(Deps::new(deps), effect)
}
