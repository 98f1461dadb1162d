//! The page: the session provider, the layout of the panels, the keyboard and the timers.

use crate::browser::focus::element;
use crate::browser::keyboard::{self, Shortcut};
use crate::components::banners::{error_banner, past_banner, use_error_origin, ErrorOrigin};
use crate::components::compare::{Compare, Comparing};
use crate::components::composer::{Composer, DomainRef};
use crate::components::dialog::{dialog, use_focus_on_open, DialogProps};
use crate::components::explore::{Explore, Here};
use crate::components::flows::Flows;
use crate::components::header::header;
use crate::components::inspector::{Inspector, TrackedField};
use crate::components::log::tabs::{log_head, LogView};
use crate::components::log::Log;
use crate::components::queue::{queue, QueueProps};
use crate::components::shortcuts::shortcuts;
use crate::components::specs::Specs;
use crate::components::timeline::timeline;
use crate::components::trace::Trace;
use crate::components::workspaces::{Adoption, Workspaces};
use crate::effect::use_effect_on;
use crate::examples::{examples_for, flow_journal, flows_for};
use crate::panic_screen;
use crate::persistence::transfer::JournalFile;
use crate::session::store::{SessionHandle, SessionStore};
use crate::session::{branch, repeat, Action, RunMode, Session};
use crate::widgets::json_tree::TreeField;
use crate::widgets::splitter::{Split, Splitter};
use decider_core::boundary::{FactRow, LogFilter, QueueRow, RowKind, StateView};
use decider_core::{DynDomain, Id};
use gloo::timers::callback::{Interval, Timeout};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The domain the page opens on.
pub const START_DOMAIN: &str = "restaurant";

/// A dialog over the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Overlay {
    /// The keyboard shortcuts (`?`).
    Help,
    /// The specification suite.
    Specs,
    /// The explorer.
    Explore,
    /// The workspace shown side by side with another of its domain.
    Compare,
}

/// The root component: builds the session, provides it to every panel, and lays out the
/// playground with its shortcuts and timers (one component, not a provider around a
/// playground: each component type costs the wasm its own copy of Yew's machinery).
#[function_component]
pub fn App() -> Html {
    if panic_screen::requested_by_url() {
        panic!(
            "deliberate panic requested with ?{}",
            panic_screen::DEBUG_PANIC_PARAM
        );
    }
    let store = use_reducer(|| {
        let domains: Vec<Rc<dyn DynDomain>> =
            decider_domains::all().into_iter().map(Rc::from).collect();
        SessionStore::new(Session::new(Rc::new(domains), START_DOMAIN, 0))
    });
    let overlay = use_state(|| None::<Overlay>);
    // What the comparison compares, while it is open.
    let comparing = use_state(|| None::<Comparing>);
    let dialog_close = use_node_ref();
    let queue_editing = use_state(|| None::<Id>);
    use_focus_on_open(*overlay, dialog_close.clone());
    let focus_filter = use_state(|| 0u64);
    let log_view = use_state_eq(LogView::default);
    let choose_log_view = {
        let log_view = log_view.setter();
        use_callback((), move |view: LogView, _| log_view.set(view))
    };
    let committed = use_state_eq(|| None::<u64>);
    let cancel = use_mut_ref(|| Rc::new(Cell::new(false)));
    let handlers = {
        let (dispatcher, shared, cancel) = (store.dispatcher(), store.shared(), cancel.clone());
        use_memo((), move |_| Handlers::new(dispatcher, shared, cancel))
    };
    // A fact chosen in the comparison closes it and is selected (one callback for the
    // page's life, so the comparison is not drawn again when the session changes).
    let compare_select = {
        let (select, overlay) = (handlers.select_position.clone(), overlay.setter());
        use_callback((), move |position: u64, _| {
            overlay.set(None);
            select.emit(position);
        })
    };
    let error_origin = use_error_origin(&store);
    // The rejection whose refusal the inspector explains, once asked (its `why-button` or
    // `w`).
    let asked = use_state(|| None::<u64>);
    use_shortcuts(
        &store,
        &overlay,
        (&focus_filter, &log_view),
        cancel.clone(),
        &error_origin,
        &asked,
    );
    use_ticker(&store);
    use_repeat_runner(&store, &cancel);
    use_branch_runner(&store);

    let session = store.get();
    let show = |which: Option<Overlay>| {
        let overlay = overlay.clone();
        Callback::from(move |_| overlay.set(which))
    };
    let domain_id = session.domain().info().id.clone();
    let examples = use_memo(domain_id.clone(), |id| examples_for(id));
    let example_flows = use_memo(domain_id.clone(), |id| flows_for(id));
    let origins = use_memo(domain_id.clone(), |_| session.origins());
    // While a Repeat ×N runs, what is costly to read (every stream id, the whole view) is
    // read once and kept until it ends; the log and the counts follow every slice.
    let settled = session.progress().is_none();
    let stream_ids =
        use_stream_choices(&store, (domain_id, settled.then(|| session.stream_count())));
    let selected = session.selected().cloned();
    // The selected fact's stream; with none selected (after a submission), the stream of
    // the last fact folded, which the log's tail and the trace show (not while a Repeat
    // runs: it would change, and the state be read again, with every slice).
    let stream = match &selected {
        Some(row) => Some(row.stream_id.clone()),
        None if settled => session.cursor_stream(),
        None => None,
    };
    // The state is read again only when what it shows can have changed: the log (its
    // version is unique to one engine's content), the cursor or the shown stream.
    let states = use_memo(
        (
            stream.clone(),
            session.cursor(),
            settled.then(|| session.log_version()),
        ),
        |(stream, _, _)| Inspected::read(&session, stream.as_deref()),
    );
    // The field of a stream whose history the inspector shows: read again when the log
    // changes (not at every slice of a Repeat), not when the cursor moves; shown only
    // while its stream is (a cursor moving across other streams' facts reads it once).
    let tracked = use_state(|| None::<(String, TreeField)>);
    let history = use_memo(
        ((*tracked).clone(), settled.then(|| session.log_version())),
        |(tracked, _)| {
            tracked.as_ref().map(|(stream, field)| {
                let history = session.field_history(stream, &field.pointer);
                let path = field.path.clone();
                (stream.clone(), Rc::new(TrackedField { path, history }))
            })
        },
    );
    let field = (*history)
        .as_ref()
        .filter(|(on, _)| Some(on) == stream.as_ref())
        .map(|(_, field)| field.clone());
    // The same callback while the stream is, so the inspector's properties stay equal.
    let on_track = {
        let tracked = tracked.setter();
        use_callback(stream.clone(), move |field: Option<TreeField>, stream| {
            tracked.set(field.zip(stream.clone()).map(|(field, on)| (on, field)));
        })
    };
    // Why it was refused: read while the rejection asked about is the fact selected, and
    // again when the log changes (would it pass now?).
    let shown = (*asked).filter(|p| selected.as_ref().is_some_and(|s| s.position == *p));
    let why = (*use_memo(
        (shown, settled.then(|| session.log_version())),
        |(shown, _)| shown.and_then(|p| session.why_refused(p)).map(Rc::new),
    ))
    .clone();
    let on_why = {
        let asked = asked.setter();
        use_callback((), move |position: Option<u64>, _| asked.set(position))
    };
    // What the explorer draws from: the domain's examples, then the session's commands.
    let alphabet = use_memo(
        (examples.clone(), session.history().clone()),
        |(examples, history)| {
            let mut all: Vec<Value> = examples.iter().map(|e| e.command.clone()).collect();
            for command in history.iter() {
                if !all.contains(command) {
                    all.push(command.clone());
                }
            }
            Rc::new(all)
        },
    );
    // Where the explorer's runs can start: this workspace's facts up to the position
    // shown, copied when a run starts (one callback for the page's life).
    let copy_here = {
        let shared = store.shared();
        use_callback((), move |(), _| shared.borrow().copy_to_position())
    };
    let here = (session.position() > 0).then(|| Here {
        facts: session.position(),
        live: !session.in_past(),
        copy: copy_here,
    });
    // A shrunk run the explorer opens: the workspace bar adopts it as a new workspace.
    let adopting = use_state(|| None::<Adoption>);
    let on_adopt = {
        let (adopting, overlay) = (adopting.setter(), overlay.setter());
        use_callback((), move |file: Rc<JournalFile>, _| {
            overlay.set(None);
            adopting.set(Some(Adoption(file)));
        })
    };
    // The domain's example scenarios, each opened as a new workspace from the empty log.
    let on_example_flow = {
        let (on_adopt, store) = (on_adopt.clone(), store.clone());
        use_callback((), move |path: &'static str, _| match flow_journal(path) {
            Ok(file) => on_adopt.emit(Rc::new(file)),
            Err(e) => store.dispatch(Action::Error(format!("The example flow did not open: {e}"))),
        })
    };
    // The trace changes with the log only: moving the cursor within a flow keeps it.
    let flow = use_memo((session.flow_id(), session.log_version()), |_| {
        session.flow().map(Rc::new)
    });
    let position = selected.as_ref().map(|row| row.position);
    let locked = session.in_past() || session.read_only();
    let info = session.domain().info();
    let (has_view, has_process) = (!info.views.is_empty(), !info.sagas.is_empty());
    let page = html! {
        <div class="app">
            { header(&store, show(Some(Overlay::Help)), show(Some(Overlay::Specs)), show(Some(Overlay::Explore))) }
            <Workspaces on_committed={Callback::from({
                let committed = committed.setter();
                move |facts| committed.set(facts)
            })} on_compare={Callback::from({
                let (comparing, overlay) = (comparing.setter(), overlay.setter());
                move |what| {
                    comparing.set(Some(what));
                    overlay.set(Some(Overlay::Compare));
                }
            })} adopt={(*adopting).clone()} />
            { error_banner(&store, &error_origin) }
            <main class="panels">
                <div class="panel panel-composer">
                    <Composer
                        domain={DomainRef(session.domain().clone())}
                        {locked}
                        lock_reason={session.read_only().then_some(AttrValue::from(
                            "This session is read-only (a shared link or a damaged workspace): save it as a workspace, or keep its good part, to compose.",
                        ))}
                        history={session.history().clone()}
                        examples={examples}
                        progress={session.progress().map(|p| (p.done, p.total))}
                        on_submit={handlers.submit.clone()}
                        on_cancel={handlers.cancel.clone()}
                    />
                </div>
                <div class="panel panel-log">
                    { log_head(*log_view, &choose_log_view) }
                    if *log_view == LogView::Flows {
                        <Flows on_select_fact={handlers.select_position.clone()}
                            on_select_flow={handlers.select_flow.clone()} />
                    } else {
                        <Log
                            len={session.log_len()}
                            fetch={handlers.fetch.clone()}
                            version={session.log_version()}
                            cursor={session.cursor()}
                            selected={position}
                            flow={session.flow_id()}
                            follow={!session.in_past()}
                            reveal={session.reveal()}
                            filter={session.filter().clone()}
                            on_filter={handlers.filter.clone()}
                            origins={origins}
                            streams={stream_ids}
                            on_select={handlers.select.clone()}
                            head={session.head()}
                            focus_filter={*focus_filter}
                            committed={*committed}
                            {example_flows}
                            {on_example_flow}
                        />
                    }
                </div>
                <div class="panel panel-inspector">
                    <Inspector current={states.current.clone()} previous={states.previous.clone()}
                        fact={selected.map(Rc::new)} {stream} past={session.in_past()}
                        held={!settled} {has_view} {has_process} {field}
                        {on_track} {why} {on_why} on_select={handlers.select_position.clone()}
                        on_fork={handlers.fork_at.clone()} />
                </div>
                <div class="panel panel-queue">
                    { queue(&QueueProps {
                        rows: states.queue.clone(),
                        total: states.current.queue_len,
                        domain: DomainRef(session.domain().clone()),
                        can_inject: !locked,
                        on_inject: handlers.inject.clone(),
                        on_select_flow: handlers.select_flow.clone(),
                    }, &queue_editing) }
                </div>
                <div class="panel panel-trace">
                    <Trace flow={(*flow).clone()} selected={position} cursor={session.cursor()}
                        on_select={handlers.select_position.clone()}
                        on_without={session.progress().is_none().then(|| handlers.without.clone())}
                        replaying={session.replaying()} on_stop_without={handlers.stop_without.clone()} />
                </div>
                <Splitter split={Split::Composer} />
                <Splitter split={Split::Side} />
                <Splitter split={Split::Trace} />
            </main>
            // The past banner floats over the panels' bottom edge, above the timeline:
            // going into the past or back lays no panel out again.
            <div class="timeline-dock">
                { past_banner(&store) }
                { timeline(&store) }
            </div>
            { match *overlay {
                Some(Overlay::Help) => shortcuts(show(None), dialog_close.clone()),
                Some(Overlay::Specs) => dialog(DialogProps {
                    title: "Specifications",
                    testid: "specs",
                    on_close: show(None),
                    wide: true,
                    close_button: dialog_close.clone(),
                }, html! { <Specs /> }),
                Some(Overlay::Explore) => dialog(DialogProps {
                    title: "Explore",
                    testid: "explore",
                    on_close: show(None),
                    wide: true,
                    close_button: dialog_close.clone(),
                }, html! {
                    <Explore domain={DomainRef(session.domain().clone())}
                        alphabet={(*alphabet).clone()} on_open={on_adopt} {here} />
                }),
                Some(Overlay::Compare) => match (*comparing).clone() {
                    Some(Comparing { here, others }) => dialog(DialogProps {
                        title: "Compare workspaces",
                        testid: "compare",
                        on_close: show(None),
                        wide: true,
                        close_button: dialog_close.clone(),
                    }, html! { <Compare {here} {others} on_select={compare_select} /> }),
                    None => html! {},
                },
                None => html! {},
            } }
        </div>
    };
    html! {
        <ContextProvider<SessionHandle> context={store.clone()}>{ page }</ContextProvider<SessionHandle>>
    }
}

/// The page's callbacks into the session, made once: a panel whose other inputs did not
/// change is then not rendered again when the session changes.
struct Handlers {
    submit: Callback<(Value, u32)>,
    cancel: Callback<()>,
    fetch: Callback<(usize, usize), Vec<FactRow>>,
    filter: Callback<LogFilter>,
    select: Callback<FactRow>,
    select_position: Callback<u64>,
    select_flow: Callback<Id>,
    inject: Callback<(Id, Value)>,
    /// A what-if session whose past is this one's up to a position (exclusive).
    fork_at: Callback<u64>,
    /// A what-if session without a flow (its correlation id).
    without: Callback<Id>,
    /// Stops the branch under way (the trace offers it while replaying without a flow).
    stop_without: Callback<()>,
}

impl Handlers {
    fn new(
        dispatcher: UseReducerDispatcher<SessionStore>,
        shared: Rc<RefCell<Session>>,
        cancel: Rc<RefCell<Rc<Cell<bool>>>>,
    ) -> Self {
        let dispatch = Callback::from(move |action: Action| dispatcher.dispatch(action));
        let submit = dispatch.reform(|(command, n): (Value, u32)| {
            if n <= 1 {
                Action::Submit(repeat::substitute(&command, 1))
            } else {
                Action::StartRepeat {
                    command,
                    total: u64::from(n),
                }
            }
        });
        Handlers {
            submit,
            cancel: Callback::from(move |_| cancel.borrow().set(true)),
            fetch: Callback::from(move |(from, to): (usize, usize)| {
                shared.borrow().log_rows(from, to)
            }),
            filter: dispatch.reform(Action::SetFilter),
            select: dispatch.reform(Action::Select),
            select_position: dispatch.reform(Action::SelectPosition),
            select_flow: dispatch.reform(Action::SelectFlow),
            inject: dispatch.reform(|(id, rejection)| Action::InjectFault(id, rejection)),
            without: dispatch.reform(Action::Without),
            stop_without: dispatch.reform(|_| Action::BranchStopped),
            fork_at: Callback::from(move |position| {
                dispatch.emit(Action::SetCursor(position));
                dispatch.emit(Action::Fork);
            }),
        }
    }
}

/// What the inspector and the queue show, read once per change of the state at the
/// cursor.
struct Inspected {
    current: Rc<StateView>,
    previous: Option<Rc<StateView>>,
    queue: Rc<Vec<QueueRow>>,
}

impl Inspected {
    fn read(session: &Session, stream: Option<&str>) -> Self {
        let (current, previous) = session.states(stream);
        Inspected {
            queue: Rc::new(current.queue.clone()),
            current: Rc::new(current),
            previous: previous.map(Rc::new),
        }
    }
}

/// Turns keyboard shortcuts into actions for as long as the page lives.
#[hook]
fn use_shortcuts(
    store: &SessionHandle,
    overlay: &UseStateHandle<Option<Overlay>>,
    // The log's filter's focus nonce, and which of its views is shown.
    log: (&UseStateHandle<u64>, &UseStateHandle<LogView>),
    cancel: Rc<RefCell<Rc<Cell<bool>>>>,
    error_origin: &ErrorOrigin,
    asked: &UseStateHandle<Option<u64>>,
) {
    let store = store.clone();
    let asked = asked.clone();
    let error_origin = error_origin.clone();
    let overlay = overlay.clone();
    let (focus_filter, log_view) = (log.0.clone(), log.1.clone());
    // The session is read when a key is pressed, through the shared cell: the listener is
    // made again only when what it captures by value changes, not on every action.
    let deps = (*overlay, *focus_filter, *asked, *log_view);
    use_effect_on(deps, move |_| {
        let on_shortcut = Callback::from(move |shortcut: Shortcut| {
            let (playing, in_past) = {
                let session = store.get();
                (session.playing(), session.in_past())
            };
            match shortcut {
                Shortcut::Help => overlay.set(toggled(*overlay, Overlay::Help)),
                Shortcut::Explore => overlay.set(toggled(*overlay, Overlay::Explore)),
                Shortcut::Escape { dismiss } => {
                    // One Esc closes the overlay, over the page, before the error banner.
                    if overlay.is_some() {
                        overlay.set(None);
                    } else if dismiss {
                        error_origin.dismiss(&store);
                    }
                    // The running Repeat's flag, as the runner last set it.
                    cancel.borrow().set(true);
                    // A fork, or a replay without a flow, under way.
                    if store.get().branching() {
                        store.dispatch(Action::BranchStopped);
                    }
                }
                Shortcut::Filter if *log_view == LogView::Flows => {
                    // The filter is the log's: the log first, then its filter once drawn.
                    log_view.set(LogView::Facts);
                    let (focus_filter, next) = (focus_filter.clone(), *focus_filter + 1);
                    Timeout::new(0, move || focus_filter.set(next)).forget();
                }
                Shortcut::Filter => focus_filter.set(*focus_filter + 1),
                Shortcut::PlayPause => {
                    if !playing && !in_past && store.get().mode() != RunMode::RealTime {
                        store.dispatch(Action::SetCursor(0));
                    }
                    store.dispatch(Action::SetPlaying(!playing));
                }
                Shortcut::Step => store.dispatch(Action::Step),
                Shortcut::Back => store.dispatch(Action::StepBack),
                Shortcut::Forward => store.dispatch(Action::StepForward),
                Shortcut::Start => store.dispatch(Action::SetCursor(0)),
                Shortcut::Live => store.dispatch(Action::Live),
                Shortcut::Submit => click("[data-testid=command-submit]"),
                Shortcut::Why => {
                    let session = store.get();
                    let rejection = session.selected().filter(|r| r.kind == RowKind::Rejection);
                    if let Some(position) = rejection.map(|r| r.position) {
                        asked.set((*asked != Some(position)).then_some(position));
                    }
                }
            }
        });
        let listener = keyboard::listen(on_shortcut);
        move || drop(listener)
    });
}

/// The overlay after a shortcut for `wanted`: closed if it was open, else `wanted`.
fn toggled(open: Option<Overlay>, wanted: Overlay) -> Option<Overlay> {
    (open != Some(wanted)).then_some(wanted)
}

/// Runs the session's Repeat ×N (started here, or kept with a workspace and taken up after
/// a reload) in slices that yield to the browser; one runner at a time, which follows the
/// session's job (`repeat::run`).
#[hook]
fn use_repeat_runner(store: &SessionHandle, cancel: &Rc<RefCell<Rc<Cell<bool>>>>) {
    let running = use_mut_ref(|| false);
    let job = store.get().repeat_job().cloned();
    let store = store.clone();
    let cancel = cancel.clone();
    use_effect_on(job, move |job| {
        if job.is_some() && !*running.borrow() {
            *running.borrow_mut() = true;
            let flag = Rc::new(Cell::new(false));
            *cancel.borrow_mut() = flag.clone();
            let session = store.shared();
            let dispatch = Callback::from(move |action| store.dispatch(action));
            wasm_bindgen_futures::spawn_local(async move {
                repeat::run(session, dispatch, flag).await;
                *running.borrow_mut() = false;
            });
        }
    });
}

/// Makes the session's branch (a fork, or the session without a flow) while there is one
/// (`branch::run`), one runner at a time, which follows the session's branch.
#[hook]
fn use_branch_runner(store: &SessionHandle) {
    let running = use_mut_ref(|| false);
    let branching = store.get().branching();
    let store = store.clone();
    use_effect_on(branching, move |branching| {
        if *branching && !*running.borrow() {
            *running.borrow_mut() = true;
            let session = store.shared();
            let dispatch = Callback::from(move |action| store.dispatch(action));
            wasm_bindgen_futures::spawn_local(async move {
                branch::run(session, dispatch).await;
                *running.borrow_mut() = false;
            });
        }
    });
}

/// Clicks the element matching `selector`, as the user would (the composer's Submit
/// button checks and submits the command it holds).
fn click(selector: &str) {
    if let Some(button) = element(selector) {
        button.click();
    }
}

/// The stream ids the log's filter suggests, read again when `key` changes: in a task of
/// their own after that render (sorting every stream id of a long workspace just opened
/// is not in the way of showing it), the ones read before shown meanwhile.
#[hook]
fn use_stream_choices(store: &SessionHandle, key: (String, Option<usize>)) -> Rc<Vec<String>> {
    let choices = use_state_eq(|| Rc::new(Vec::new()));
    {
        let (session, choices) = (store.shared(), choices.clone());
        use_effect_on(key, move |_| {
            let reading = Timeout::new(0, move || {
                if let Ok(session) = session.try_borrow() {
                    choices.set(Rc::new(session.stream_ids()));
                }
            });
            move || drop(reading)
        });
    }
    (*choices).clone()
}

/// While playing, ticks every interval: one engine step in real-time mode, else one fact
/// of replay.
#[hook]
fn use_ticker(store: &SessionHandle) {
    let (playing, interval) = {
        let session = store.get();
        (session.playing(), session.interval_ms())
    };
    let store = store.clone();
    use_effect_on((playing, interval), move |&(playing, interval)| {
        let ticker =
            playing.then(|| Interval::new(interval, move || store.dispatch(Action::PlayTick)));
        move || drop(ticker)
    });
}
