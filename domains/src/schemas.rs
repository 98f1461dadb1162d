//! Each domain's message schemas, checked in as `domains/schemas/<id>.json`: the
//! playground reads them (bundled as compact text by `build.rs`) instead of deriving them
//! with schemars at run time (a smaller wasm). A test keeps every file equal to what schemars derives; after changing a message
//! type, rewrite them with `UPDATE_SCHEMAS=1 cargo test -p decider-domains schemas`.

use decider_core::MessageSchemas;

/// The schemas of `domains/schemas/<id>.json`, from its compact text (`build.rs`).
macro_rules! bundled {
    ($id:literal) => {
        $crate::schemas::checked_in(include_str!(concat!(
            env!("OUT_DIR"),
            "/schemas/",
            $id,
            ".json"
        )))
    };
}
pub(crate) use bundled;

/// The schemas a checked-in file's text holds.
pub(crate) fn checked_in(text: &str) -> MessageSchemas {
    decider_core::boundary::from_json(&serde_json::from_str(text).unwrap_or_default())
        .expect("domains/schemas/*.json hold MessageSchemas (tested)")
}

#[cfg(all(test, feature = "schema"))]
mod tests {
    use crate::{checkout, counter, restaurant, transfer};
    use decider_core::MessageSchemas;
    use std::path::Path;

    #[test]
    fn the_checked_in_schemas_are_those_schemars_derives() {
        let derived = [
            (
                "counter",
                MessageSchemas::derive::<counter::CounterSystem>(),
            ),
            (
                "restaurant",
                MessageSchemas::derive::<restaurant::RestaurantSystem>(),
            ),
            (
                "transfer",
                MessageSchemas::derive::<transfer::TransferSystem>(),
            ),
            (
                "checkout",
                MessageSchemas::derive::<checkout::CheckoutSystem>(),
            ),
        ];
        let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
        for (id, schemas) in derived {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{id}.json"));
            let text = serde_json::to_string_pretty(&schemas).unwrap() + "\n";
            if update {
                std::fs::write(&path, &text).unwrap();
                continue;
            }
            let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                checked_in == text,
                "domains/schemas/{id}.json is out of date; rewrite it with \
                 `UPDATE_SCHEMAS=1 cargo test -p decider-domains schemas`"
            );
            // What the domains read (compiled in before any rewrite above).
            let domain = crate::find(id).unwrap();
            assert_eq!(domain.command_schema(), schemas.command);
            assert_eq!(domain.event_schema(), schemas.event);
            assert_eq!(domain.rejection_schema(), schemas.rejection);
        }
    }
}
