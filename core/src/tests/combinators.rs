//! The combinators on their own: when a composed decider is terminal, whose streams are
//! whose, nested routes, and what a merged process manager issues.

use super::domain::*;
use super::properties::{left_command, left_event, right_command, right_event, routed, Side};
use crate::compose::{Adapt, Combine, MapState, Merge, Part, Route, Sum};
use crate::decider::Decider;
use crate::envelope::Fact;
use crate::saga::Stateless;
use crate::{ProcessManager, StreamId};

/// The two sides with their streams declared: `left` owns `counter-…`, `right` `right-…`.
fn declared() -> (Side, Side) {
    let Route(left, right) = routed();
    (
        left.owning("left", "counter-"),
        right.owning("right", "right-"),
    )
}

/// The counter with its total kept as text: a state that does not start at its default.
fn as_text<D: Decider<State = i32>>(
    decider: D,
) -> MapState<D, impl Fn(i32) -> String, impl Fn(&String) -> i32> {
    MapState {
        decider,
        to: |total: i32| total.to_string(),
        from: |text: &String| text.parse::<i32>().expect("written by `to`"),
    }
}

#[test]
fn a_combined_decider_is_terminal_only_when_both_parts_are() {
    let both = Combine(Counter, Counter);
    assert!(both.is_terminal(&(CAP, CAP)));
    assert!(!both.is_terminal(&(CAP, 5)));
    assert!(!both.is_terminal(&(5, CAP)));
    assert_eq!(both.initial_state(), (0, 0));
    let with_text = Combine(Counter, as_text(Counter));
    assert_eq!(with_text.initial_state(), (0, "0".to_string()));
}

#[test]
fn a_combined_decider_keeps_each_parts_streams() {
    let (left, right) = declared();
    let both = Combine(left, right);
    let left_event = Sum::Left(Sum::Left(added(0, 1)));
    let right_event = Sum::Right(Sum::Right(added(0, 1)));
    assert_eq!(both.check_stream(&"counter-0".into(), &left_event), Ok(()));
    assert_eq!(both.check_stream(&"right-0".into(), &right_event), Ok(()));
    let refused = both
        .check_stream(&"counter-0".into(), &right_event)
        .unwrap_err();
    assert_eq!(refused.event_owner, "right");
    assert!(both.check_stream(&"right-0".into(), &left_event).is_err());
    assert_eq!(both.stream_owner(&"counter-4".into()), Some("left"));
    assert_eq!(both.stream_owner(&"right-4".into()), Some("right"));
    assert_eq!(both.stream_owner(&"other-4".into()), None);
}

#[test]
fn a_routed_stream_is_terminal_when_its_part_says_so() {
    let route = routed();
    assert!(!route.is_terminal(&Part::Empty), "a stream with no event");
    assert!(route.is_terminal(&Part::First(CAP)));
    assert!(!route.is_terminal(&Part::First(5)));
    assert!(route.is_terminal(&Part::Second(CAP)));
    assert!(!route.is_terminal(&Part::Second(5)));
}

/// A right command or event for a counter below 5.
fn low_command(c: &Sum<Cmd, Cmd>) -> Option<&Cmd> {
    right_command(c).filter(|Cmd::Add { counter, .. }| *counter < 5)
}

fn low_event(e: &Sum<Ev, Ev>) -> Option<&Ev> {
    right_event(e).filter(|Ev::Added { counter, .. }| *counter < 5)
}

/// A right command or event for counter 5 or above.
fn high_command(c: &Sum<Cmd, Cmd>) -> Option<&Cmd> {
    right_command(c).filter(|Cmd::Add { counter, .. }| *counter >= 5)
}

fn high_event(e: &Sum<Ev, Ev>) -> Option<&Ev> {
    right_event(e).filter(|Ev::Added { counter, .. }| *counter >= 5)
}

#[test]
fn a_nested_route_sends_each_message_to_its_own_part() {
    // Three parts: left counters, right counters below 5 (both nested first), the others.
    let nested = Route(
        Route(
            Adapt::new(Counter, left_command, Sum::Left, left_event, Sum::Left),
            Adapt::new(Counter, low_command, Sum::Right, low_event, Sum::Right),
        ),
        Adapt::new(Counter, high_command, Sum::Right, high_event, Sum::Right),
    );
    let cases = [
        (
            Sum::Left(add(1, 5)),
            "counter-1",
            Sum::Left(added(1, 5)),
            Part::First(Part::First(5)),
        ),
        (
            Sum::Right(add(2, 6)),
            "counter-2",
            Sum::Right(added(2, 6)),
            Part::First(Part::Second(6)),
        ),
        (
            Sum::Right(add(7, 8)),
            "counter-7",
            Sum::Right(added(7, 8)),
            Part::Second(8),
        ),
    ];
    for (command, stream, event, folded) in cases {
        assert_eq!(nested.stream_id(&command), StreamId::from(stream));
        let state = nested.initial_state();
        assert_eq!(nested.decide(&command, &state), Ok(vec![event.clone()]));
        assert_eq!(nested.evolve(state, &event), folded);
    }
}

#[test]
fn an_adapted_decider_starts_from_its_own_initial_state_and_is_terminal_with_it() {
    let adapted: Adapt<_, _, _, Sum<Rej, Rej>, _, _, _, _> = Adapt::new(
        as_text(Counter),
        left_command,
        Sum::Left,
        left_event,
        Sum::Left,
    );
    let start = adapted.initial_state();
    assert_eq!(start, "0");
    assert_eq!(
        adapted.decide(&Sum::Left(add(0, 5)), &start),
        Ok(vec![Sum::Left(added(0, 5))])
    );
    assert!(adapted.is_terminal(&CAP.to_string()));
    assert!(!adapted.is_terminal(&start));
}

#[test]
fn a_state_mapped_decider_keeps_the_streams_of_the_original() {
    let (left, _) = declared();
    let mapped = as_text(left);
    assert_eq!(
        mapped.stream_id(&Sum::Left(add(2, 1))),
        StreamId::from("counter-2")
    );
    let event = Sum::Left(added(0, 1));
    assert_eq!(mapped.check_stream(&"counter-0".into(), &event), Ok(()));
    assert!(mapped.check_stream(&"right-0".into(), &event).is_err());
    assert_eq!(mapped.stream_owner(&"counter-0".into()), Some("left"));
    assert_eq!(mapped.stream_owner(&"right-0".into()), None);
    assert!(mapped.is_terminal(&CAP.to_string()));
    assert!(!mapped.is_terminal(&"5".to_string()));
}

/// Process manager that retries the first two rejected commands, each by adding one
/// less (its state: the rejections seen).
struct Retry;

impl ProcessManager for Retry {
    type Command = Cmd;
    type Event = Ev;
    type Rejection = Rej;
    type State = u32;
    fn name(&self) -> &str {
        "retry"
    }
    fn initial_state(&self) -> u32 {
        0
    }
    fn evolve(&self, seen: u32, fact: Fact<'_, Cmd, Ev, Rej>) -> u32 {
        match fact {
            Fact::Rejected { .. } => seen + 1,
            Fact::Event(_) => seen,
        }
    }
    fn react_into(&self, seen: &u32, fact: Fact<'_, Cmd, Ev, Rej>, out: &mut impl Extend<Cmd>) {
        if let Fact::Rejected {
            command: Cmd::Add { counter, amount },
            ..
        } = fact
        {
            out.extend((*seen <= 2).then(|| add(*counter, amount - 1)));
        }
    }
}

#[test]
fn react_gives_what_react_into_adds_and_react_into_adds_after_what_the_list_held() {
    use crate::saga::Saga;
    let event = added(1, 40);
    assert_eq!(Echo.react(Fact::Event(&event)), [add(1, 0)]);
    assert_eq!(Forward.react(Fact::Event(&event)), [add(2, 40)]);
    let mut out = vec![add(9, 9)];
    Forward.react_into(Fact::Event(&event), &mut out);
    assert_eq!(
        out,
        [add(9, 9), add(2, 40)],
        "added after what the list held"
    );
    let mut named = Vec::new();
    Merge(Stateless(Echo), Stateless(Forward)).react_named(
        &((), ()),
        Fact::Event(&event),
        &mut named,
    );
    assert_eq!(named, [("echo", add(1, 0)), ("forward", add(2, 40))]);
}

#[test]
fn a_merged_manager_reacts_with_the_commands_of_both_parts_in_order() {
    let managers = Merge(Stateless(Forward), Retry);
    let refused = add(1, 40);
    let reason = Rej::OverCap { total: 140 };
    let fact = Fact::Rejected {
        command: &refused,
        reason: &reason,
    };
    let state = managers.evolve(managers.initial_state(), fact);
    assert_eq!(managers.react(&state, fact), [add(1, 39)]);
    let event = added(1, 40);
    let state = managers.evolve(state, Fact::Event(&event));
    assert_eq!(managers.react(&state, Fact::Event(&event)), [add(2, 40)]);
    let both = Merge(Stateless(Forward), Stateless(Forward));
    assert_eq!(
        both.react(&((), ()), Fact::Event(&event)),
        [add(2, 40), add(2, 40)]
    );
}
