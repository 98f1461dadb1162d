//! The workspace bar: pick, create, rename, duplicate and delete workspaces; export and
//! import scenario and journal files (file picker, drag and drop onto the page, paste);
//! share links; and how many facts are committed to IndexedDB. It also runs the keeper
//! that saves the session, so it is rendered once per page.

use crate::browser::{address, clipboard};
use crate::components::compare::{self, Comparing};
use crate::effect::use_effect_on;
use crate::persistence::channel::Notice;
use crate::persistence::files;
use crate::persistence::keeper::{self, Keeper, Pick, Shared, SharedScenario, Status};
use crate::persistence::transfer::{self, Import, JournalFile};
use crate::persistence::workspaces::{self, SavedScenario, Workspace};
use crate::session::store::{use_session, SessionHandle};
use crate::session::Action;
use crate::share;
use crate::widgets::number::{counted, scripted_count, thousands};
use decider_core::scenario::{self, Scenario};
use gloo::events::{EventListener, EventListenerOptions};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The inline form open under the bar.
#[derive(Clone, Debug, PartialEq)]
enum Form {
    None,
    New,
    Rename,
    Delete,
}

/// Properties of [`Workspaces`].
#[derive(Properties, PartialEq)]
pub struct WorkspacesProps {
    /// Told the number of facts committed to IndexedDB whenever it changes (`None`: the
    /// session is not being kept), so that the log can draw the others as pending.
    #[prop_or_default]
    pub on_committed: Callback<Option<u64>>,
    /// Opens the comparison of the workspace shown with others of its domain.
    #[prop_or_default]
    pub on_compare: Callback<Comparing>,
    /// A journal to open as a new workspace (the explorer's shrunk run, an example flow),
    /// each one once.
    #[prop_or_default]
    pub adopt: Option<Adoption>,
}

/// A journal file handed over to be opened as a workspace: one handing over is equal only
/// to itself (the same file handed over again opens again).
#[derive(Clone)]
pub struct Adoption(pub Rc<JournalFile>);

impl PartialEq for Adoption {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The workspace bar (and the keeper behind it). Render it once, e.g. right under the
/// header.
#[function_component]
pub fn Workspaces(props: &WorkspacesProps) -> Html {
    let store = use_session();
    let status = use_state(Status::default);
    let form = use_state(|| Form::None);
    // The last share link made, and whether it went to the clipboard.
    let link = use_state(|| None::<(String, bool)>);
    let keeper = {
        let store = store.clone();
        let setter = status.setter();
        let on_committed = props.on_committed.clone();
        use_memo((), move |_| {
            Keeper::new(
                store,
                Callback::from(move |s: Status| {
                    on_committed.emit(s.committed());
                    setter.set(s);
                }),
            )
        })
    };
    keeper.borrow_mut().set_store(store.clone());
    {
        let keeper = (*keeper).clone();
        use_effect_on((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let shared = shared_from_location(&keeper).await;
                keeper::start(keeper, shared).await;
            });
        });
    }
    {
        let keeper = (*keeper).clone();
        use_effect_on(store.version(), move |_| keeper::observe(&keeper));
    }
    use_page_listeners(&keeper);
    {
        let keeper = (*keeper).clone();
        use_effect_on(props.adopt.clone(), move |file| {
            if let Some(Adoption(file)) = file.clone() {
                wasm_bindgen_futures::spawn_local(async move {
                    let JournalFile {
                        title,
                        domain,
                        seed,
                        journal,
                        ..
                    } = (*file).clone();
                    adopt(&keeper, &title, &title, domain, seed, journal).await;
                });
            }
        });
    }

    let session = store.get();
    let head = session.head();
    let current_id = status
        .current
        .as_ref()
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let keep = |f: fn(Shared, SessionHandle)| {
        let keeper = (*keeper).clone();
        let store = store.clone();
        Callback::from(move |_: MouseEvent| f(keeper.clone(), store.clone()))
    };
    let on_pick = {
        let keeper = (*keeper).clone();
        let workspaces = status.workspaces.clone();
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(workspace) = workspaces.iter().find(|w| w.id == id).cloned() {
                open_soon(keeper.clone(), workspace);
            }
        })
    };
    let toggle = |which: Form| {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| {
            form.set(if *form == which {
                Form::None
            } else {
                which.clone()
            })
        })
    };
    let on_import = {
        let keeper = (*keeper).clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let picked = input.files().and_then(|list| list.get(0));
            input.set_value("");
            if let Some(file) = picked {
                wasm_bindgen_futures::spawn_local(import_file(keeper.clone(), file));
            }
        })
    };
    let on_share = {
        let store = store.clone();
        let link = link.clone();
        let title = title_of(&status);
        Callback::from(move |_: MouseEvent| match scenario_text(&store, &title) {
            Ok(text) => {
                let (store, link) = (store.clone(), link.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match share::fragment(&text).await {
                        Ok(fragment) => {
                            let url = share::link(&fragment);
                            let copied = clipboard::write_text(&url).await;
                            if let Some(warning) = share::size_warning(&url) {
                                store.dispatch(Action::Error(warning));
                            }
                            link.set(Some((url, copied)));
                        }
                        Err(e) => store
                            .dispatch(Action::Error(format!("The share link was not made: {e}."))),
                    }
                });
            }
            Err(e) => store.dispatch(Action::Error(e)),
        })
    };
    let pending = head.saturating_sub(status.saved_facts);
    let can_edit = status.available && status.current.is_some();
    html! {
        <div class="workspaces" role="toolbar" aria-label="workspaces">
            <label class="workspaces-field">
                <span class="workspaces-label">{ "Workspace" }</span>
                <select data-testid="workspace-picker" onchange={on_pick}
                    disabled={!status.available} aria-label="open workspace">
                    if status.current.is_none() {
                        <option value="" selected=true>
                            { status.shared.as_ref().map_or("(not saved)".to_string(), |t| format!("shared: {t}")) }
                        </option>
                    }
                    { for status.workspaces.iter().map(|w| option(w, &current_id)) }
                    if let Some(unkept) = status.current.as_ref().filter(|c| !status.workspaces.iter().any(|w| w.id == c.id)) {
                        <option value={unkept.id.clone()} selected=true
                            title="kept once its first command is recorded">
                            { format!("{} (new)", unkept.name) }
                        </option>
                    }
                </select>
            </label>
            <button class="tool" data-testid="workspace-new" onclick={toggle(Form::New)}
                disabled={!status.available} aria-expanded={(*form == Form::New).to_string()}
                title="A new, empty workspace">{ "+ new" }</button>
            <button class="tool" data-testid="workspace-rename" onclick={toggle(Form::Rename)}
                disabled={!can_edit} aria-expanded={(*form == Form::Rename).to_string()}>{ "rename" }</button>
            <button class="tool" data-testid="workspace-duplicate" onclick={keep(duplicate)}
                disabled={!can_edit} title="A copy of this workspace's journal">{ "duplicate" }</button>
            <button class="tool" data-testid="workspace-delete" onclick={toggle(Form::Delete)}
                disabled={!can_edit} aria-expanded={(*form == Form::Delete).to_string()}>{ "delete" }</button>
            { compare_button(&status, &props.on_compare) }
            <span class="workspaces-saved mono" aria-live="polite"
                title="facts committed to IndexedDB (a step counts once its transaction commits)">
                <span class="workspaces-glyph" aria-hidden="true">{ if pending == 0 { "✔" } else { "◌" } }</span>
                { "saved " }{ scripted_count("saved", status.saved_facts) }
                if pending > 0 {
                    // Without a workspace (a shared scenario, no IndexedDB) nothing is on its
                    // way to the store: the facts are not saved, not pending.
                    <span class="workspaces-pending">{
                        if status.current.is_some() {
                            format!(" +{} pending", thousands(pending))
                        } else {
                            format!(" · {} not saved", thousands(pending))
                        }
                    }</span>
                }
            </span>
            <span class="workspaces-spacer"></span>
            // The files' buttons wrap together: a narrow window's second line has all four.
            <span class="workspaces-files">
                <button class="tool" data-testid="export-scenario" onclick={keep(export_scenario)}
                    title="Download the session as a scenario file (passes `decider check`)">{ "⤓ scenario" }</button>
                <button class="tool" data-testid="export-journal" onclick={keep(export_journal)}
                    title="Download the exact engine journal (for bug reports)">{ "⤓ journal" }</button>
                <label class="tool workspaces-import" title="Import a scenario or journal file (or drop it on the page, or paste it)">
                    { "⤒ import" }
                    <input class="visually-hidden" type="file" data-testid="import-file"
                        accept=".json,application/json" onchange={on_import} />
                </label>
                <button class="tool" data-testid="share-button" onclick={on_share}
                    title="Copy a link that holds this scenario">{ "⊶ share" }</button>
            </span>
            if let Some((url, copied)) = (*link).clone() {
                <input class="workspaces-link mono" data-testid="share-link" readonly=true
                    value={url.clone()} title={format!("{} bytes", url.len())} aria-label="share link"
                    onfocus={Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select())} />
                // Whether the link is in the clipboard, said once it is known.
                <span class="workspaces-copied" role="status" data-testid="share-copied">
                    { if copied { "✔ copied" } else { "not copied: select the link and copy it" } }
                </span>
            }
            { notices(&keeper, &status) }
            { form_view(&keeper, &form, &status, &store) }
        </div>
    }
}

/// The button that compares the workspace shown with another of its domain (the one it
/// was forked from first): shown once it is kept and another one of its domain is.
fn compare_button(status: &Status, on_compare: &Callback<Comparing>) -> Html {
    let Some(current) = status.current.as_ref() else {
        return html! {};
    };
    let others = compare::candidates(current, &status.workspaces);
    let Some(first) = others.first() else {
        return html! {};
    };
    let title = format!(
        "Compare this workspace side by side with “{}” ({}) or another of its domain",
        first.name, first.relation
    );
    let comparing = Comparing {
        here: AttrValue::from(current.name.clone()),
        others: Rc::new(others),
    };
    let onclick = on_compare.reform(move |_: MouseEvent| comparing.clone());
    html! {
        <button class="tool" data-testid="compare-button" {onclick} {title}>{ "⇆ compare" }</button>
    }
}

/// One `<option>` of the picker.
fn option(workspace: &Workspace, current: &str) -> Html {
    let fork = workspace
        .parent
        .as_ref()
        .map(|p| format!(" ⎇@{}", p.position))
        .unwrap_or_default();
    let facts = counted(workspace.facts, "fact");
    html! {
        <option value={workspace.id.clone()} selected={workspace.id == current}
            title={format!("{} · seed {} · {facts}{fork}", workspace.domain, workspace.seed)}>
            { format!("{} ({}, {facts}){fork}", workspace.name, workspace.domain) }
        </option>
    }
}

/// The damaged-workspace and shared-scenario notices with their ways out.
fn notices(keeper: &Rc<Shared>, status: &Status) -> Html {
    html! {
        <>
            if let Some(damage) = &status.damaged {
                <span class="workspaces-notice workspaces-damaged" role="status">
                    <span aria-hidden="true">{ "✘ " }</span>
                    { format!("read-only: entry {} is damaged", damage.sequence) }
                    <button class="tool" data-testid="workspace-export-raw" onclick={spawner(keeper, export_raw)}>{ "export raw journal" }</button>
                    <button class="tool" data-testid="workspace-keep-good" onclick={spawner(keeper, keep_good)}>{ "keep the good part" }</button>
                </span>
            }
            if let Some(title) = &status.shared {
                <span class="workspaces-notice" role="status">
                    { format!("Shared scenario “{title}”, read-only") }
                    <button class="tool primary" data-testid="workspace-save-shared" onclick={spawner(keeper, save_shared)}
                        disabled={!status.available}>{ "save as workspace" }</button>
                </span>
            }
        </>
    }
}

/// A click handler that runs `task` on the keeper.
fn spawner<T, F>(keeper: &Shared, task: T) -> Callback<MouseEvent>
where
    T: Fn(Shared) -> F + 'static,
    F: std::future::Future<Output = ()> + 'static,
{
    let keeper = keeper.clone();
    Callback::from(move |_: MouseEvent| wasm_bindgen_futures::spawn_local(task(keeper.clone())))
}

/// The inline form for new / rename / delete.
fn form_view(
    keeper: &Rc<Shared>,
    form: &UseStateHandle<Form>,
    status: &Status,
    store: &SessionHandle,
) -> Html {
    let close = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.set(Form::None))
    };
    let name = status
        .current
        .as_ref()
        .map(|c| c.name.clone())
        .unwrap_or_default();
    match **form {
        Form::None => html! {},
        Form::New => {
            let session = store.get();
            let domain = session.domain().info().id.clone();
            let domains: Vec<String> = session
                .domains()
                .iter()
                .map(|d| d.info().id.clone())
                .collect();
            let on_submit = {
                let keeper = (**keeper).clone();
                let form = form.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(data) = form_fields(&e) else { return };
                    let seed = data.2.trim().parse::<u64>().unwrap_or(0);
                    form.set(Form::None);
                    let keeper = keeper.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) =
                            keeper::adopt(&keeper, &data.0, &data.1, seed, Vec::new()).await
                        {
                            report(&keeper, format!("The workspace was not created: {e}."));
                        }
                    });
                })
            };
            html! {
                <form class="workspaces-form" onsubmit={on_submit} aria-label="new workspace">
                    <label>{ "Name " }<input name="name" required=true autofocus=true value={format!("{domain} workspace")} /></label>
                    <label>{ "Domain " }
                        <select name="domain">
                            { for domains.iter().map(|d| html! { <option value={d.clone()} selected={*d == domain}>{ d }</option> }) }
                        </select>
                    </label>
                    <label>{ "Seed " }<input name="seed" class="mono" type="number" min="0" value="0" /></label>
                    <button class="tool primary" type="submit" data-testid="workspace-create">{ "create" }</button>
                    <button class="tool" type="button" onclick={close}>{ "cancel" }</button>
                </form>
            }
        }
        Form::Rename => {
            let on_submit = {
                let keeper = (**keeper).clone();
                let form = form.clone();
                Callback::from(move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some((name, ..)) = form_fields(&e) else {
                        return;
                    };
                    form.set(Form::None);
                    let keeper = keeper.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = keeper::rename(&keeper, name.trim()).await {
                            report(&keeper, format!("The workspace was not renamed: {e}."));
                        }
                    });
                })
            };
            html! {
                <form class="workspaces-form" onsubmit={on_submit} aria-label="rename workspace">
                    <label>{ "Name " }<input name="name" required=true autofocus=true value={name} data-testid="workspace-name" /></label>
                    <button class="tool primary" type="submit">{ "rename" }</button>
                    <button class="tool" type="button" onclick={close}>{ "cancel" }</button>
                </form>
            }
        }
        Form::Delete => {
            let on_delete = {
                let keeper = (**keeper).clone();
                let form = form.clone();
                let id = status
                    .current
                    .as_ref()
                    .map(|c| c.id.clone())
                    .unwrap_or_default();
                Callback::from(move |_: MouseEvent| {
                    form.set(Form::None);
                    let (keeper, id) = (keeper.clone(), id.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = keeper::delete(&keeper, &id).await {
                            report(&keeper, format!("The workspace was not deleted: {e}."));
                        }
                    });
                })
            };
            html! {
                <div class="workspaces-form" role="alertdialog" aria-label="delete workspace">
                    <span>{ format!("Delete “{name}” and its journal? This cannot be undone.") }</span>
                    <button class="tool workspaces-danger" data-testid="workspace-delete-confirm" onclick={on_delete}>{ "delete" }</button>
                    <button class="tool" type="button" onclick={close}>{ "cancel" }</button>
                </div>
            }
        }
    }
}

/// The `name`, `domain` and `seed` fields of a submitted form.
fn form_fields(e: &SubmitEvent) -> Option<(String, String, String)> {
    let form: web_sys::Element = e.target()?.dyn_into().ok()?;
    let field = |name: &str| -> String {
        form.query_selector(&format!("[name={name}]"))
            .ok()
            .flatten()
            .and_then(|el| {
                el.dyn_ref::<HtmlInputElement>()
                    .map(|i| i.value())
                    .or_else(|| el.dyn_ref::<HtmlSelectElement>().map(|s| s.value()))
            })
            .unwrap_or_default()
    };
    Some((field("name"), field("domain"), field("seed")))
}

/// Shows `message` in the error banner.
fn report(keeper: &Shared, message: String) {
    let store = keeper.borrow().store();
    store.dispatch(Action::Error(message));
}

/// The title exports and links use: the workspace's name, or the shared scenario's.
fn title_of(status: &Status) -> String {
    status
        .current
        .as_ref()
        .map(|c| c.name.clone())
        .or_else(|| status.shared.clone())
        .unwrap_or_else(|| "session".into())
}

/// The session as scenario text (every expectation recorded), or why it cannot be one.
fn scenario_text(store: &SessionHandle, title: &str) -> Result<String, String> {
    let session = store.get();
    let domain = session.domain().clone();
    Scenario::from_journal(&*domain, title, session.seed(), &session.journal(0))
        .map(|s| s.to_json())
        .map_err(|e| format!("The session cannot be written as a scenario: {e}."))
}

fn export_scenario(keeper: Shared, store: SessionHandle) {
    let title = title_of(keeper.borrow().status());
    let done = scenario_text(&store, &title)
        .and_then(|text| files::download(&transfer::file_name(&title, "json"), &text));
    if let Err(e) = done {
        store.dispatch(Action::Error(e));
    }
}

fn export_journal(keeper: Shared, store: SessionHandle) {
    let title = title_of(keeper.borrow().status());
    let text = {
        let session = store.get();
        let domain = session.domain().info().id.clone();
        JournalFile::new(&domain, session.seed(), &title, session.journal(0)).to_json()
    };
    if let Err(e) = files::download(&transfer::file_name(&title, "journal.json"), &text) {
        store.dispatch(Action::Error(e));
    }
}

fn duplicate(keeper: Shared, store: SessionHandle) {
    let (domain, seed, journal) = {
        let session = store.get();
        (
            session.domain().info().id.clone(),
            session.seed(),
            session.journal(0),
        )
    };
    let name = format!("{} (copy)", title_of(keeper.borrow().status()));
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = keeper::adopt(&keeper, &name, &domain, seed, journal).await {
            report(&keeper, format!("The workspace was not duplicated: {e}."));
        }
    });
}

/// Keeps the session as it is shown (a shared scenario, a damaged workspace's good part)
/// as a new workspace named `name`.
async fn keep_shown(keeper: Shared, name: String) {
    let store = keeper.borrow().store();
    let (domain, seed, journal) = {
        let session = store.get();
        (
            session.domain().info().id.clone(),
            session.seed(),
            session.journal(0),
        )
    };
    if let Err(e) = keeper::adopt(&keeper, &name, &domain, seed, journal).await {
        report(&keeper, format!("The workspace was not saved: {e}."));
    }
}

async fn save_shared(keeper: Shared) {
    let name = title_of(keeper.borrow().status());
    keep_shown(keeper.clone(), name).await;
    share::clear_location();
    keeper.borrow().show_place();
}

async fn keep_good(keeper: Shared) {
    let name = format!("{} (good part)", title_of(keeper.borrow().status()));
    keep_shown(keeper, name).await;
}

async fn export_raw(keeper: Shared) {
    match keeper::raw_journal(&keeper).await {
        Ok(Some((name, text))) => {
            if let Err(e) = files::download(&transfer::file_name(&name, "raw-journal.json"), &text)
            {
                report(&keeper, e);
            }
        }
        Ok(None) => {}
        Err(e) => report(&keeper, format!("The raw journal does not read: {e}.")),
    }
}

/// The shared scenario in the page's address, run; a link that does not load says why.
async fn shared_from_location(keeper: &Shared) -> Option<SharedScenario> {
    let text = match share::from_location().await? {
        Ok(text) => text,
        Err(e) => {
            report(keeper, format!("The shared link does not open: {e}"));
            return None;
        }
    };
    match run_scenario(&text) {
        Ok((scenario, journal)) => Some(SharedScenario {
            title: scenario.title,
            domain: scenario.domain,
            seed: scenario.seed,
            journal,
        }),
        Err(e) => {
            report(
                keeper,
                format!("The shared link's scenario does not load: {e}"),
            );
            None
        }
    }
}

/// Reads and runs scenario text as `decider run` does: the scenario and its run's journal.
pub fn run_scenario(text: &str) -> Result<(Scenario, Vec<serde_json::Value>), String> {
    let (scenario, domain) =
        scenario::load(text, &decider_domains::find).map_err(|e| e.to_string())?;
    let run = scenario.run(&*domain).map_err(|e| e.to_string())?;
    Ok((scenario, run.engine.journal(0)))
}

/// Imports a picked or dropped file.
async fn import_file(keeper: Shared, file: web_sys::File) {
    match files::read_text(file).await {
        Ok((name, text)) => import_text(&keeper, &name, &text).await,
        Err(e) => report(&keeper, e),
    }
}

/// Imports a scenario or journal file's text: a valid one becomes a new workspace (a
/// scenario is run, kept in the spec suite, and its failed expectations are reported); an
/// invalid one changes nothing and the banner says what and where.
pub async fn import_text(keeper: &Shared, name: &str, text: &str) {
    let imported = match transfer::read(text) {
        Ok(imported) => imported,
        Err(e) => return report(keeper, format!("{name}: {e}")),
    };
    let (title, domain, seed, journal, verdict) = match imported {
        Import::Scenario(scenario, domain) => {
            let run = match scenario.run(&*domain) {
                Ok(run) => run,
                Err(e) => return report(keeper, format!("{name}: {e}")),
            };
            let verdict = scenario.check(&*domain).ok().filter(|r| !r.passed());
            if let Some(db) = keeper.borrow().db() {
                let saved = SavedScenario {
                    id: workspaces::new_id("sc"),
                    file: name.into(),
                    text: text.into(),
                };
                let keeper = keeper.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match workspaces::add_scenario(&db, &saved).await {
                        Ok(()) => keeper.borrow().post(Notice::Scenarios),
                        Err(e) => report(
                            &keeper,
                            format!("{}: not kept in the spec suite: {e}.", saved.file),
                        ),
                    }
                });
            }
            let journal = run.engine.journal(0);
            (
                scenario.title.clone(),
                scenario.domain.clone(),
                scenario.seed,
                journal,
                verdict,
            )
        }
        Import::Journal(file) => {
            let Some(domain) = decider_domains::find(&file.domain).ok() else {
                return report(
                    keeper,
                    format!("{name}: at $.domain: unknown domain `{}`", file.domain),
                );
            };
            if let Err(e) = domain.rebuild(crate::session::config(file.seed), &file.journal) {
                let path = format!("$.journal{}", e.path.strip_prefix('$').unwrap_or(&e.path));
                return report(keeper, format!("{name}: at {path}: {}", e.message));
            }
            (file.title, file.domain, file.seed, file.journal, None)
        }
    };
    if !adopt(keeper, name, &title, domain, seed, journal).await {
        return;
    }
    if let Some(failed) = verdict {
        report(
            keeper,
            format!(
                "{name}: imported as “{title}”, but {} expectation(s) do not hold:\n{failed}",
                failed.failures.len()
            ),
        );
    }
}

/// Opens `journal` (of `domain`, seeded `seed`) as a new workspace named `title`, kept in
/// IndexedDB when it is available (else shown, unsaved); whether it opened (else the
/// banner says why, naming `name`).
async fn adopt(
    keeper: &Shared,
    name: &str,
    title: &str,
    domain: String,
    seed: u64,
    journal: Vec<serde_json::Value>,
) -> bool {
    let available = keeper.borrow().status().available;
    if available {
        if let Err(e) = keeper::adopt(keeper, title, &domain, seed, journal).await {
            report(keeper, format!("{name}: not saved: {e}."));
            return false;
        }
    } else {
        keeper.borrow().store().dispatch(Action::Open {
            domain,
            seed,
            journal: Rc::new(journal),
            read_only: false,
        });
    }
    true
}

/// Follows the address after only its fragment changed (a link pasted or edited in this
/// tab's address bar, which reloads nothing): a place ([`address`]) shows its workspace and
/// cursor; a share link reloads the page, which opens it as on any load (everything shown
/// is kept: a reload loses nothing). The page's own writes of the address (history
/// `replaceState`) fire no such change.
fn follow_address(keeper: &Shared) {
    let window = gloo::utils::window();
    let fragment = window.location().hash().unwrap_or_default();
    if fragment.starts_with(share::PREFIX) {
        let _ = window.location().reload();
    } else if let Some(place) = address::current() {
        match keeper::pick(keeper, &place) {
            Pick::Shown(cursor) => {
                let store = keeper.borrow().store();
                store.dispatch(Action::SetCursor(cursor.unwrap_or(u64::MAX)));
            }
            Pick::Open(workspace) => open_soon(keeper.clone(), *workspace),
            Pick::NotHeld => {
                let instead = "the workspace shown stays";
                report(keeper, keeper::not_held(&place.workspace, instead));
            }
        }
    }
}

/// Opens `workspace` in a task of its own; the banner says why if it does not open.
fn open_soon(keeper: Shared, workspace: Workspace) {
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = keeper::open(&keeper, workspace).await {
            report(&keeper, format!("The workspace does not open: {e}."));
        }
    });
}

/// The page's own listeners: files dropped on the page and scenario or journal text
/// pasted outside a text field are imported; a changed fragment is followed
/// ([`follow_address`]).
#[hook]
fn use_page_listeners(keeper: &Rc<Shared>) {
    let keeper = (**keeper).clone();
    use_effect_on((), move |_| {
        let document = gloo::utils::document();
        let options = EventListenerOptions::enable_prevent_default();
        let over = EventListener::new_with_options(&document, "dragover", options, |e| {
            let drag = e.unchecked_ref::<web_sys::DragEvent>();
            let has_files = drag
                .data_transfer()
                .is_some_and(|d| d.types().includes(&"Files".into(), 0));
            if has_files {
                e.prevent_default();
            }
        });
        let on_drop = EventListener::new_with_options(&document, "drop", options, {
            let keeper = keeper.clone();
            move |e| {
                let drag = e.unchecked_ref::<web_sys::DragEvent>();
                let file = drag
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|f| f.get(0));
                if let Some(file) = file {
                    e.prevent_default();
                    wasm_bindgen_futures::spawn_local(import_file(keeper.clone(), file));
                }
            }
        });
        let hash = EventListener::new(&gloo::utils::window(), "hashchange", {
            let keeper = keeper.clone();
            move |_| follow_address(&keeper)
        });
        let paste = EventListener::new(&document, "paste", move |e| {
            let in_field = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                });
            let text = e
                .unchecked_ref::<web_sys::ClipboardEvent>()
                .clipboard_data()
                .and_then(|d| d.get_data("text").ok())
                .unwrap_or_default();
            if !in_field && text.trim_start().starts_with('{') {
                let keeper = keeper.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    import_text(&keeper, "pasted text", &text).await;
                });
            }
        });
        move || drop((over, on_drop, paste, hash))
    });
}
