//! Share links, scenario export and the spec suite, in the browser: the same scenario
//! files, verdicts and errors as the CLI.
#![cfg(target_arch = "wasm32")]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use decider_core::scenario::Scenario;
use decider_core::EngineConfig;
use decider_web::components::specs::{self, Verdict};
use decider_web::persistence::transfer::{self, Import};
use decider_web::share;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn every_bundled_example_survives_a_share_link() {
    for (path, text) in specs::EXAMPLES {
        let fragment = share::fragment(text).await.unwrap();
        assert!(fragment.starts_with(share::PREFIX));
        let code = &fragment[share::PREFIX.len()..];
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{path}: URL-safe, unpadded"
        );
        assert_eq!(
            share::decode(&fragment).await,
            Some(Ok(text.to_string())),
            "{path}"
        );
        let link = share::link(&fragment);
        assert!(link.ends_with(&fragment));
        assert_eq!(share::size_warning(&link), None, "{path} fits in a link");
    }
}

/// A share link's code as the page made it before the browser deflated (miniz_oxide, raw
/// deflate at level 9).
fn code_made_before(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

#[wasm_bindgen_test]
async fn links_made_before_still_open_and_new_links_open_as_before() {
    for (path, text) in specs::EXAMPLES {
        let before = format!("{}{}", share::PREFIX, code_made_before(text));
        assert_eq!(
            share::decode(&before).await,
            Some(Ok(text.to_string())),
            "{path}: a link made before"
        );
        let now = share::fragment(text).await.unwrap();
        let deflated = URL_SAFE_NO_PAD.decode(&now[share::PREFIX.len()..]).unwrap();
        assert_eq!(
            miniz_oxide::inflate::decompress_to_vec(&deflated)
                .ok()
                .as_deref(),
            Some(text.as_bytes()),
            "{path}: a new link is raw deflate, as before"
        );
    }
}

#[wasm_bindgen_test]
async fn a_damaged_link_says_so_and_other_fragments_are_not_links() {
    assert_eq!(share::decode("#log").await, None);
    let fragment = share::fragment("{\"format\": \"decider-lab/scenario\"}")
        .await
        .unwrap();
    let cut = &fragment[..fragment.len() - 4];
    let error = share::decode(cut).await.unwrap().unwrap_err();
    assert!(error.contains("damaged"), "{error}");
    assert!(share::decode("#scenario=***").await.unwrap().is_err());
    // Deflated bytes cut short (the base64 around them sound).
    let deflated = URL_SAFE_NO_PAD
        .decode(&fragment[share::PREFIX.len()..])
        .unwrap();
    let half = format!(
        "{}{}",
        share::PREFIX,
        URL_SAFE_NO_PAD.encode(&deflated[..deflated.len() / 2])
    );
    let error = share::decode(&half).await.unwrap().unwrap_err();
    assert!(
        error.contains("damaged: its scenario does not inflate ("),
        "{error}"
    );
    assert!(
        !error.contains(".)"),
        "no full stop inside the brackets: {error}"
    );
}

#[wasm_bindgen_test]
async fn a_link_that_inflates_past_the_limit_is_refused() {
    let bomb = format!(
        "{}{}",
        share::PREFIX,
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            &vec![b' '; share::MAX_TEXT + 1],
            9
        ))
    );
    let error = share::decode(&bomb).await.unwrap().unwrap_err();
    assert!(error.contains("damaged"), "{error}");
    assert!(error.contains(&share::MAX_TEXT.to_string()), "{error}");
    let fits = format!(
        "{}{}",
        share::PREFIX,
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(
            &vec![b' '; share::MAX_TEXT],
            9
        ))
    );
    assert_eq!(
        share::decode(&fits).await.unwrap().map(|t| t.len()),
        Ok(share::MAX_TEXT)
    );
}

#[wasm_bindgen_test]
async fn a_long_link_is_warned_about() {
    // Incompressible text: the link grows with it.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: String = (0..120_000)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            char::from(b'a' + ((state >> 33) % 26) as u8)
        })
        .collect();
    let link = share::link(&share::fragment(&noise).await.unwrap());
    let warning = share::size_warning(&link).expect("past 64 KB");
    assert!(warning.contains("64 KB"), "{warning}");
}

#[wasm_bindgen_test]
fn a_bundled_example_is_its_file_without_the_whitespace_between_tokens() {
    let file = include_str!("../../tests/scenarios/restaurant/rejected-not-on-menu.json");
    let bundled = specs::EXAMPLES
        .iter()
        .find(|(p, _)| *p == "restaurant/rejected-not-on-menu.json")
        .unwrap()
        .1;
    let without_spaces = |t: &str| t.split_ascii_whitespace().collect::<String>();
    assert_eq!(without_spaces(bundled), without_spaces(file));
    assert!(!bundled.contains('\n') && bundled.len() < file.len());
    assert!(
        bundled.contains("\"Sushi is not on Luigi's menu."),
        "spaces in strings kept"
    );
    let value = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    assert_eq!(value(bundled), value(file));
}

#[wasm_bindgen_test]
fn the_bundled_suite_is_green_as_decider_check_says() {
    assert!(specs::EXAMPLES.len() >= 20);
    for (path, text) in specs::EXAMPLES {
        let (title, verdict) = specs::check(text);
        assert!(title.is_some(), "{path}");
        assert_eq!(verdict, Verdict::Pass, "{path}");
    }
}

#[wasm_bindgen_test]
fn a_changed_expectation_fails_with_its_path_and_diff() {
    let text = specs::EXAMPLES
        .iter()
        .find(|(p, _)| *p == "counter/happy-path.json")
        .unwrap()
        .1;
    let mut scenario = Scenario::parse(text).unwrap();
    let events = scenario.steps[0].expect.events.as_mut().unwrap();
    events.clear();
    let (_, verdict) = specs::check(&scenario.to_json());
    let Verdict::Fail(failures) = verdict else {
        panic!("expected a failure, got {verdict:?}");
    };
    assert_eq!(failures[0].path, "$.steps[0].expect.events");
    assert!(failures[0].diff.contains('+'), "{}", failures[0].diff);
}

#[wasm_bindgen_test]
fn an_exported_session_parses_and_passes() {
    let domain = decider_domains::find("restaurant").unwrap();
    let text = include_str!("../../tests/scenarios/restaurant/cancelled-after-payment.json");
    let example = Scenario::parse(text).unwrap();
    let mut engine = domain.start(EngineConfig::default());
    for step in &example.steps {
        engine.submit(&step.command).unwrap();
        engine.run_until_idle(2);
    }
    let exported = Scenario::from_journal(&*domain, "my session", 0, &engine.journal(0)).unwrap();
    let file = exported.to_json();
    let parsed = Scenario::parse(&file).unwrap();
    assert_eq!(parsed.title, "my session");
    assert!(parsed.check(&*domain).unwrap().passed());
    assert_eq!(specs::check(&file).1, Verdict::Pass);
    let replayed = parsed.run(&*domain).unwrap().engine.journal(0);
    assert_eq!(
        replayed,
        engine.journal(0),
        "the same journal as the session"
    );
}

#[wasm_bindgen_test]
fn imports_read_with_the_cli_errors() {
    let text = specs::EXAMPLES[0].1;
    assert!(matches!(
        transfer::read(&format!("\u{feff}{text}")),
        Ok(Import::Scenario(..))
    ));
    let doubled = text.replacen("\"title\":", "\"title\": \"x\", \"title\":", 1);
    let error = transfer::read(&doubled).err().unwrap();
    assert!(
        error.contains("duplicate key `title` at $.title"),
        "{error}"
    );
    assert!(error.starts_with("line "), "line and column: {error}");
    let error = transfer::read("{\"format\": \"decider-lab/scenario\", \"version\": 9}")
        .err()
        .unwrap();
    assert!(error.contains("$.version"), "{error}");
    assert_eq!(
        transfer::file_name("My: session / 2", "json"),
        "My--session---2.json"
    );
    assert_eq!(transfer::file_name("Zoë's café", "json"), "Zoë-s-café.json");
}

#[wasm_bindgen_test]
fn an_address_names_a_workspace_and_its_cursor() {
    use decider_web::browser::address::Place;
    let past = Place {
        workspace: "ws-19d2f0a1b2c-0badf00d".into(),
        cursor: Some(42),
    };
    assert_eq!(past.fragment(), "#workspace=ws-19d2f0a1b2c-0badf00d&at=42");
    let live = Place {
        cursor: None,
        ..past.clone()
    };
    assert_eq!(live.fragment(), "#workspace=ws-19d2f0a1b2c-0badf00d");
    for place in [&past, &live] {
        assert_eq!(Place::parse(&place.fragment()).as_ref(), Some(place));
    }
    // An id the page never makes still goes there and back (encoded in the address).
    let odd = Place {
        workspace: "a b&at=1#c".into(),
        cursor: Some(0),
    };
    assert_eq!(Place::parse(&odd.fragment()), Some(odd));
    // Not a place: a share link, no id, another fragment; an `at` not a number is live.
    for fragment in ["#scenario=abc", "#workspace=", "#", "", "#at=3"] {
        assert_eq!(Place::parse(fragment), None, "{fragment:?}");
    }
    assert_eq!(
        Place::parse("#workspace=w&at=x"),
        Some(Place {
            workspace: "w".into(),
            cursor: None
        })
    );
}
