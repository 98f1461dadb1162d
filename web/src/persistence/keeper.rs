//! The keeper: it watches the session and keeps the open workspace in IndexedDB.
//!
//! When the session's journal grows, the new entries are appended in one transaction,
//! conditional on the length this tab last saw; `saved` moves only once it commits. A
//! session that becomes a different engine (another domain or seed, a fork, a journal
//! that shrank) becomes a new workspace. Another tab's append (heard on the channel, or
//! found by a refused append) reloads the workspace from the store. A journal that does
//! not read or fold opens read-only up to its last good entry; nothing stored is changed.

use super::channel::{Channel, Notice};
use super::db::{self, StoreError};
use super::journal_store::{self, Damage, Folded, Segment, SEGMENT};
use super::left_behind::{self, LeftBehind, RestingCursor};
use super::workspaces::{self, Parent, Settings, Workspace};
use crate::browser::address::{self, Place};
use crate::session::store::SessionHandle;
use crate::session::{Action, Built, ForkOrigin, RepeatJob, RunMode, Session};
use decider_core::{DynDomain, DynEngine};
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use web_sys::IdbDatabase;
use yew::Callback;

/// What the workspace bar shows of the keeper.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    /// Whether the store is open (false: nothing is saved; the banner said why).
    pub available: bool,
    /// Every workspace, oldest first.
    pub workspaces: Rc<Vec<Workspace>>,
    /// The workspace shown (`None`: a read-only session that is not kept).
    pub current: Option<Workspace>,
    /// Facts committed to IndexedDB for the current workspace.
    pub saved_facts: u64,
    /// The current workspace's first damaged entry (it is open read-only before it).
    pub damaged: Option<Damage>,
    /// The title of the shared scenario shown read-only, if one is.
    pub shared: Option<String>,
}

impl Status {
    /// The facts committed to IndexedDB, when the session shown is being kept.
    pub fn committed(&self) -> Option<u64> {
        (self.available && self.current.is_some() && self.damaged.is_none())
            .then_some(self.saved_facts)
    }
}

/// The engine a session runs: when it changes, so does the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    domain: String,
    seed: u64,
    fork: Option<(u64, u32)>,
    read_only: bool,
}

impl Identity {
    fn of(session: &Session) -> Self {
        Identity {
            domain: session.domain().info().id.clone(),
            seed: session.seed(),
            fork: session.fork_origin().map(|f| (f.position, f.generation)),
            read_only: session.read_only(),
        }
    }
}

/// The UI settings of `session`, as a workspace keeps them.
fn settings_of(session: &Session) -> Settings {
    Settings {
        mode: session.mode().id().into(),
        cursor: session.cursor(),
        interval_ms: session.interval_ms(),
        repeat: session.repeat_job().cloned(),
    }
}

/// How long the time-travel cursor rests before the keeper writes where it is: a slider
/// dragged across a long log is written once when it stops, not on every move. A page
/// hidden sooner starts the write then, but a reload does not wait for it: a cursor moved
/// less than this before a reload may reopen where it was before the move.
const CURSOR_REST_MS: u32 = 400;

/// The keeper's state, shared by the component and its async work.
pub struct Keeper {
    store: SessionHandle,
    on_status: Callback<Status>,
    db: Option<IdbDatabase>,
    channel: Option<Channel>,
    status: Status,
    identity: Option<Identity>,
    /// Journal entries of the current workspace committed.
    saved: usize,
    /// The record needs writing (settings, opened time).
    dirty: bool,
    /// The current workspace has a record in the store (a new session gets one with its
    /// first journal entry, so that looking at domains leaves no empty workspaces behind).
    kept: bool,
    writing: bool,
    /// Set while the keeper itself replaces the session.
    opening: bool,
    /// The session's journal length when a write failed for a reason retrying at once
    /// will not fix (quota): writing is tried again once the journal grows past it.
    halted: Option<usize>,
    /// The write of a moved cursor, waiting for the cursor to rest.
    resting: Option<Timeout>,
    /// Writes a resting cursor at once when the page is hidden (closed, reloaded).
    on_hide: Option<EventListener>,
    /// A Repeat ×N that ended, until a stored record says so: see [`Ending`].
    ending: Option<Ending>,
}

/// A Repeat ×N that ended (done or cancelled): until the store holds the journal up to
/// `end`, the workspace record keeps `job` as running, its total cut to what was
/// submitted, so that a reload in between submits what was not kept (and nothing more)
/// instead of forgetting it. Until a record written after the end commits, the page
/// leaves `job` behind when it goes away ([`left_behind`]): the stored record may still
/// say the repeat runs with its whole count.
struct Ending {
    job: RepeatJob,
    end: usize,
}

impl Ending {
    /// The repeat a record written with the journal up to `to` says is running, given the
    /// session's own `running` one.
    fn running(&self, to: usize, running: Option<RepeatJob>) -> Option<RepeatJob> {
        if to < self.end {
            Some(self.job.clone())
        } else {
            running
        }
    }
}

/// The keeper as its component and tasks hold it.
pub type Shared = Rc<RefCell<Keeper>>;

impl Keeper {
    /// A keeper of `store`'s session that reports to `on_status`; [`start`] opens it.
    pub fn new(store: SessionHandle, on_status: Callback<Status>) -> Shared {
        Rc::new(RefCell::new(Keeper {
            store,
            on_status,
            db: None,
            channel: None,
            status: Status::default(),
            identity: None,
            saved: 0,
            dirty: false,
            kept: false,
            writing: false,
            opening: false,
            halted: None,
            resting: None,
            on_hide: None,
            ending: None,
        }))
    }

    /// The open database, if any.
    pub fn db(&self) -> Option<IdbDatabase> {
        self.db.clone()
    }

    /// What the bar shows.
    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Sets the session handle of the latest render.
    pub fn set_store(&mut self, store: SessionHandle) {
        self.store = store;
    }

    fn publish(&self) {
        self.show_place();
        self.on_status.emit(self.status.clone());
    }

    /// Puts the workspace shown, once it has a record, and its cursor in the page's address
    /// ([`address`]); a session not kept yet takes a workspace's address away.
    pub fn show_place(&self) {
        let place = self
            .status
            .current
            .as_ref()
            .filter(|_| self.kept)
            .map(|current| Place {
                workspace: current.id.clone(),
                cursor: current.settings.cursor,
            });
        address::show(place.as_ref());
    }

    /// The session handle.
    pub fn store(&self) -> SessionHandle {
        self.store.clone()
    }

    /// Tells the other tabs and panels about `notice`.
    pub fn post(&self, notice: Notice) {
        if let Some(channel) = &self.channel {
            channel.post(&notice);
        }
    }
}

fn error(keeper: &Shared, message: String) {
    let store = keeper.borrow().store.clone();
    store.dispatch(Action::Error(message));
}

/// Opens the store; then shows the shared scenario in the address, or reopens the
/// workspace the address names (at its cursor), or the workspace opened last, or keeps the
/// session as a first workspace.
pub async fn start(keeper: Shared, shared: Option<SharedScenario>) {
    // Read before anything is published: a session not kept yet takes the place away.
    let place = address::current();
    if let Some(shared) = shared {
        show_shared(&keeper, shared);
    }
    let db = match db::open().await {
        Ok(db) => db,
        Err(e) => {
            error(&keeper, format!("Saving is off: {e}."));
            return;
        }
    };
    let channel = Channel::open({
        let keeper = Rc::downgrade(&keeper);
        move |notice| {
            if let Some(keeper) = keeper.upgrade() {
                wasm_bindgen_futures::spawn_local(heard(keeper, notice));
            }
        }
    });
    let on_hide = web_sys::window().map(|window| {
        let keeper = Rc::downgrade(&keeper);
        EventListener::new(&window, "pagehide", move |_| hide(&keeper))
    });
    {
        let mut k = keeper.borrow_mut();
        k.db = Some(db.clone());
        k.channel = channel;
        k.on_hide = on_hide;
        k.status.available = true;
    }
    refresh(&keeper).await;
    if keeper.borrow().status.shared.is_some() {
        return;
    }
    let (named, missing) = match place.map(|place| (pick(&keeper, &place), place)) {
        Some((Pick::Open(workspace), _)) => (Some(*workspace), None),
        Some((Pick::NotHeld, place)) => (None, Some(place.workspace)),
        Some((Pick::Shown(_), _)) | None => (None, None),
    };
    let target = match named {
        Some(workspace) => Ok(Some(workspace)),
        None => workspaces::last_opened(&db).await,
    };
    let instead = match target {
        Ok(Some(workspace)) => {
            if let Err(e) = open(&keeper, workspace).await {
                error(&keeper, format!("The workspace does not open: {e}."));
            }
            "the workspace opened last is shown instead"
        }
        Ok(None) => {
            observe(&keeper);
            "a new session is shown instead"
        }
        Err(e) => return error(&keeper, format!("The workspaces do not load: {e}.")),
    };
    // Said after the opening, which clears the banner.
    if let Some(id) = missing {
        error(&keeper, not_held(&id, instead));
    }
}

/// What showing the place an address names ([`address`]) takes.
pub enum Pick {
    /// Its workspace is the one shown: only the cursor moves (`None`: to live).
    Shown(Option<u64>),
    /// Its workspace, to open (its settings carry the place's cursor).
    Open(Box<Workspace>),
    /// This browser holds no such workspace.
    NotHeld,
}

/// What showing `place` takes.
pub fn pick(keeper: &Shared, place: &Place) -> Pick {
    let k = keeper.borrow();
    if k.kept && k.status.current.as_ref().map(|c| &c.id) == Some(&place.workspace) {
        return Pick::Shown(place.cursor);
    }
    match k.status.workspaces.iter().find(|w| w.id == place.workspace) {
        Some(workspace) => {
            let mut workspace = Box::new(workspace.clone());
            workspace.settings.cursor = place.cursor;
            Pick::Open(workspace)
        }
        None => Pick::NotHeld,
    }
}

/// What the banner says of an address naming workspace `id`, which this browser does not
/// hold; `instead` is what is shown.
pub fn not_held(id: &str, instead: &str) -> String {
    format!(
        "The address names workspace `{id}`, which this browser does not hold (deleted, or \
         kept by another browser): {instead}."
    )
}

/// Reloads the list of workspaces.
pub async fn refresh(keeper: &Shared) {
    let Some(db) = keeper.borrow().db() else {
        return;
    };
    match workspaces::list(&db).await {
        Ok(list) => {
            let mut k = keeper.borrow_mut();
            k.status.workspaces = Rc::new(list);
            k.publish();
        }
        Err(e) => error(keeper, format!("The workspaces do not load: {e}.")),
    }
}

/// Looks at the session after a change: a different engine becomes a new workspace, new
/// journal entries and changed settings are written.
pub fn observe(keeper: &Shared) {
    let Ok(mut k) = keeper.try_borrow_mut() else {
        return;
    };
    if k.db.is_none() || k.opening {
        return;
    }
    let store = k.store.clone();
    let session = store.get();
    let identity = Identity::of(&session);
    let length = session.journal_len();
    if k.identity.as_ref() != Some(&identity) || length < k.saved {
        k.identity = Some(identity.clone());
        k.saved = 0;
        k.status.saved_facts = 0;
        k.status.damaged = None;
        k.halted = None;
        k.status.current = (!identity.read_only).then(|| {
            let parent = identity.fork.and_then(|(position, generation)| {
                let id = k.status.current.as_ref()?.id.clone();
                Some(Parent {
                    id,
                    position,
                    generation,
                })
            });
            let without = session.fork_origin().and_then(|f| f.without.as_deref());
            let name = match (&parent, &k.status.current, without) {
                (Some(_), Some(from), Some(without)) => {
                    format!("{} · without {without}", from.name)
                }
                (Some(p), Some(from), None) => format!("{} · fork @{}", from.name, p.position),
                _ => format!("{} · seed {}", identity.domain, identity.seed),
            };
            Workspace::new(&name, &identity.domain, identity.seed, parent)
        });
        k.dirty = true;
        k.kept = false;
        k.ending = None;
        k.publish();
    }
    let Some(current) = &mut k.status.current else {
        return;
    };
    let settings = settings_of(&session);
    let mut cursor_moved = false;
    let mut ended = None;
    if current.settings != settings {
        if let (Some(job), None) = (&current.settings.repeat, &settings.repeat) {
            ended = Some(Ending {
                job: RepeatJob {
                    total: session.submitted_since(job.start),
                    ..job.clone()
                },
                end: length,
            });
        }
        cursor_moved = current.settings.cursor != settings.cursor
            && Settings {
                cursor: current.settings.cursor,
                ..settings.clone()
            } == current.settings;
        current.settings = settings;
        k.dirty = true;
    }
    if ended.is_some() {
        k.ending = ended;
    }
    drop(session);
    let halted = k.halted.is_some_and(|at| length <= at);
    let wanted = (length > k.saved || (k.dirty && k.kept)) && k.status.damaged.is_none() && !halted;
    if !wanted || k.writing {
        return;
    }
    if cursor_moved && length == k.saved {
        let keeper = Rc::downgrade(keeper);
        k.resting = Some(Timeout::new(CURSOR_REST_MS, move || write_resting(&keeper)));
    } else {
        k.resting = None;
        k.writing = true;
        wasm_bindgen_futures::spawn_local(flush(keeper.clone()));
    }
}

/// The page is going away: a cursor still waiting to be written and a repeat's end the
/// store may not hold yet are left in `localStorage` (synchronous, so they survive a
/// reload), and the cursor's write is started.
fn hide(keeper: &Weak<RefCell<Keeper>>) {
    if let Some(k) = keeper.upgrade() {
        if let Ok(k) = k.try_borrow() {
            if let Some(current) = &k.status.current {
                let left = LeftBehind {
                    workspace: current.id.clone(),
                    cursor: k.resting.as_ref().map(|_| RestingCursor {
                        journal: k.saved,
                        cursor: current.settings.cursor,
                    }),
                    ended_repeat: k.ending.as_ref().map(|e| e.job.clone()),
                };
                if left.cursor.is_some() || left.ended_repeat.is_some() {
                    left_behind::leave(&left);
                }
            }
        }
    }
    write_resting(keeper);
}

/// Writes the workspace record of a cursor that has rested (or of a page being hidden),
/// unless a write is under way (it writes the record too) or none is waiting.
fn write_resting(keeper: &Weak<RefCell<Keeper>>) {
    let Some(keeper) = keeper.upgrade() else {
        return;
    };
    let Ok(mut k) = keeper.try_borrow_mut() else {
        return;
    };
    if k.resting.take().is_some() && k.dirty && !k.writing {
        k.writing = true;
        wasm_bindgen_futures::spawn_local(flush(keeper.clone()));
    }
}

/// Writes what the session has that the store lacks, one transaction at a time, until
/// nothing is left.
async fn flush(keeper: Shared) {
    loop {
        let job = {
            let mut guard = keeper.borrow_mut();
            let k: &mut Keeper = &mut guard;
            let store = k.store.clone();
            let session = store.get();
            let same = k.identity.as_ref() == Some(&Identity::of(&session));
            let length = session.journal_len();
            let saved = k.saved;
            match (&mut k.status.current, k.db.clone()) {
                (Some(current), Some(db)) if same && (length > saved || (k.dirty && k.kept)) => {
                    // Whole entries (each a whole step), one bounded segment per
                    // transaction, so a long run is written in tasks that stay short.
                    let to = length.min(saved + SEGMENT);
                    current.length = to;
                    current.facts = session.head_after(to);
                    let text = session.stored_text(saved, to);
                    let image = session.packed(saved, to);
                    let mut record = current.clone();
                    if let Some(ending) = &k.ending {
                        record.settings.repeat = ending.running(to, record.settings.repeat);
                    }
                    let seen = k.ending.as_ref().map(|e| e.job.clone());
                    let job = (db, record, saved, text, image, to - saved, seen);
                    k.dirty = false;
                    Some(job)
                }
                _ => None,
            }
        };
        let Some((db, workspace, from, text, image, count, seen)) = job else {
            break;
        };
        // The text and bytes are let go of before the write: the browser holds them now.
        let segment = Segment::new(&text, &image, count);
        drop((text, image));
        let written = match segment {
            Ok(segment) => journal_store::append(&db, &workspace, from, &segment).await,
            Err(e) => Err(e),
        };
        match written {
            Ok(()) => {
                let mut k = keeper.borrow_mut();
                if k.status.current.as_ref().map(|c| &c.id) == Some(&workspace.id) {
                    k.saved = from + count;
                    let said = |e: &Ending| k.saved >= e.end && seen.as_ref() == Some(&e.job);
                    if k.ending.as_ref().is_some_and(said) {
                        k.ending = None;
                    }
                    k.status.saved_facts = workspace.facts;
                    k.kept = true;
                    let listed = Rc::make_mut(&mut k.status.workspaces);
                    match listed.iter_mut().find(|w| w.id == workspace.id) {
                        Some(entry) => *entry = workspace.clone(),
                        None => {
                            listed.push(workspace.clone());
                            k.post(Notice::Workspaces);
                        }
                    }
                    k.publish();
                }
                if count > 0 {
                    k.post(Notice::Appended {
                        workspace: workspace.id.clone(),
                        length: from + count,
                    });
                }
            }
            Err(StoreError::Conflict) => {
                keeper.borrow_mut().writing = false;
                reload(&keeper, &workspace.id, true).await;
                return;
            }
            Err(e) => {
                {
                    let mut k = keeper.borrow_mut();
                    let length = k.store.get().journal_len();
                    k.halted = Some(length);
                }
                error(
                    &keeper,
                    format!("Workspace “{}” is not saved: {e}.", workspace.name),
                );
                break;
            }
        }
    }
    keeper.borrow_mut().writing = false;
}

/// What another tab (or panel) said.
async fn heard(keeper: Shared, notice: Notice) {
    match notice {
        Notice::Appended { workspace, length } => {
            let stale = {
                let k = keeper.borrow();
                let session_length = k.store.get().journal_len();
                k.status.current.as_ref().map(|c| &c.id) == Some(&workspace)
                    && length > k.saved
                    && session_length == k.saved
                    && !k.writing
            };
            if stale {
                catch_up(&keeper, &workspace).await;
            }
            refresh(&keeper).await;
        }
        Notice::Workspaces => refresh(&keeper).await,
        Notice::Scenarios => {}
    }
}

/// Folds what another tab appended to the current workspace (this tab has nothing
/// unsaved): only the new segments are read, and the filter, selection and cursor stay.
async fn catch_up(keeper: &Shared, id: &str) {
    let (db, from) = {
        let k = keeper.borrow();
        match (k.db(), &k.status.current) {
            (Some(db), Some(current)) if current.id == id => (db, k.saved),
            _ => return,
        }
    };
    let read = match journal_store::read(&db, id, from).await {
        Ok(read) => read,
        Err(e) => return error(keeper, format!("The workspace does not reload: {e}.")),
    };
    let (store, count) = {
        let k = keeper.borrow();
        let current = k.status.current.as_ref().map(|c| c.id.as_str());
        if current != Some(id) || k.saved != from || k.store.get().journal_len() != from {
            // This tab moved on meanwhile: its next append settles it.
            return;
        }
        (k.store.clone(), read.len())
    };
    let damaged = read.damage().is_some();
    if count > 0 {
        store.dispatch(Action::Extend(read.text().into()));
    }
    let complete = {
        let session = store.get();
        let mut k = keeper.borrow_mut();
        k.identity = Some(Identity::of(&session));
        k.saved = session.journal_len();
        k.status.saved_facts = session.head();
        k.publish();
        session.journal_len() == from + count && !damaged
    };
    if !complete {
        // Not everything folded: the whole workspace is opened again, read-only from
        // where it breaks.
        reload(keeper, id, false).await;
    }
}

/// Loads the current workspace again from the store (another tab wrote to it), keeping
/// this tab's mode, interval and cursor; `refused` says this tab's append was refused.
async fn reload(keeper: &Shared, id: &str, refused: bool) {
    let (db, workspace, unsaved, settings) = {
        let k = keeper.borrow();
        let session = k.store.get();
        let (Some(db), Some(current)) = (k.db(), k.status.current.clone()) else {
            return;
        };
        if current.id != id {
            return;
        }
        let unsaved = session.journal_len().saturating_sub(k.saved);
        (db, current, unsaved, settings_of(&session))
    };
    let Some(domain) = domain_of(keeper, &workspace) else {
        return;
    };
    match journal_store::rebuild(&db, id, &*domain, workspace.seed()).await {
        Ok((engine, damage)) => {
            let length = engine.journal_len();
            let workspace = Workspace {
                settings,
                ..workspace
            };
            show(keeper, workspace, engine, damage);
            if refused {
                error(
                    keeper,
                    format!(
                        "Another tab wrote to this workspace first: loaded its {length} \
                         journal entries; this tab's {unsaved} unsaved entries were not \
                         written."
                    ),
                );
            }
        }
        Err(e) => error(keeper, format!("The workspace does not reload: {e}.")),
    }
}

/// Opens `workspace` from the store, from its segments' packed images where they have
/// them; then holds each image read against its segment in the background
/// (`journal_store::check`).
pub async fn open(keeper: &Shared, workspace: Workspace) -> Result<(), StoreError> {
    let db = keeper
        .borrow()
        .db()
        .ok_or_else(|| StoreError::Unavailable("the store is not open".into()))?;
    if let Some(domain) = domain_of(keeper, &workspace) {
        let id = workspace.id.clone();
        let loaded = journal_store::load(&db, &id, &*domain, workspace.seed(), true).await?;
        show(keeper, workspace, loaded.engine, loaded.damage);
        wasm_bindgen_futures::spawn_local(check(keeper.clone(), db, id, loaded.segments));
    }
    Ok(())
}

/// Holds what the session holds of each of `segments` of workspace `id` (as opened from
/// them or their packed images) against the segment, one at a time, writing the image of
/// each that has none or a stale one. When one read from its image differed, the
/// workspace is opened again from its segments, which the banner then speaks for (a
/// damaged entry opens read-only).
async fn check(keeper: Shared, db: IdbDatabase, id: String, segments: Vec<Folded>) {
    let mut differed = false;
    for segment in segments {
        let held = {
            let k = keeper.borrow();
            if k.status.current.as_ref().map(|c| c.id.as_str()) != Some(id.as_str()) {
                return;
            }
            let session = k.store.get();
            session.held(segment.first, segment.count)
        };
        match journal_store::check(&db, &id, segment.first, held).await {
            Ok(differs) => differed |= differs && segment.packed,
            Err(e) => {
                return error(
                    &keeper,
                    format!("The workspace's journal could not be checked: {e}."),
                )
            }
        }
    }
    if differed {
        reload(&keeper, &id, false).await;
    }
}

/// The domain of `workspace`, or `None` when this build lacks it (the banner says so).
fn domain_of(keeper: &Shared, workspace: &Workspace) -> Option<Rc<dyn DynDomain>> {
    let store = keeper.borrow().store();
    let domain = store
        .get()
        .domains()
        .iter()
        .find(|d| d.info().id == workspace.domain)
        .cloned();
    if domain.is_none() {
        store.dispatch(Action::Error(format!(
            "Workspace “{}” is for the domain `{}`, which this build does not have; it \
             stays stored as it is.",
            workspace.name, workspace.domain
        )));
    }
    domain
}

/// Shows `workspace` with its engine: read-only up to the first entry that does not read
/// or fold (and the banner says which), else with its settings.
fn show(
    keeper: &Shared,
    mut workspace: Workspace,
    engine: Box<dyn DynEngine>,
    damage: Option<Damage>,
) {
    let store = keeper.borrow().store();
    let seed = workspace.seed();
    keeper.borrow_mut().opening = true;
    store.dispatch(Action::OpenBuilt {
        domain: workspace.domain.clone(),
        seed,
        engine: Built::new(engine),
        read_only: damage.is_some(),
        fork: workspace.parent.as_ref().map(|p| ForkOrigin {
            position: p.position,
            generation: p.generation,
            without: None,
        }),
    });
    if damage.is_none() {
        let journal = store.get().journal_len();
        left_behind::take(&workspace.id, journal, &mut workspace.settings);
        apply_settings(&store, &workspace.settings);
    }
    workspace.opened = js_sys::Date::now();
    {
        let mut k = keeper.borrow_mut();
        let session = store.get();
        k.identity = Some(Identity::of(&session));
        k.saved = session.journal_len();
        k.status.saved_facts = session.head();
        k.status.damaged = damage.clone();
        k.status.shared = None;
        k.status.current = Some(workspace.clone());
        k.dirty = true;
        k.kept = true;
        k.ending = None;
        k.halted = None;
        k.opening = false;
        k.publish();
    }
    if let Some(d) = &damage {
        store.dispatch(Action::Error(format!(
            "Workspace “{}”: journal entry {} does not load (at {}: {}). It is open \
             read-only with its first {} entries; nothing stored was changed. Export the \
             raw journal, or keep the good part as a new workspace.",
            workspace.name, d.sequence, d.path, d.message, d.sequence
        )));
    }
    observe(keeper);
}

/// Puts the session back in a workspace's mode, interval, cursor and running repeat.
fn apply_settings(store: &SessionHandle, settings: &Settings) {
    if settings.interval_ms != store.get().interval_ms() {
        store.dispatch(Action::SetInterval(settings.interval_ms));
    }
    match RunMode::from_id(&settings.mode) {
        Some(RunMode::Instant) | None => {}
        Some(mode) => store.dispatch(Action::SetMode(mode)),
    }
    if let Some(cursor) = settings.cursor {
        store.dispatch(Action::SetCursor(cursor));
    }
    if let Some(job) = &settings.repeat {
        store.dispatch(Action::ResumeRepeat(job.clone()));
    }
}

/// A scenario opened from a share link (or a bundled example), run, not yet kept.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedScenario {
    /// Its title.
    pub title: String,
    /// Its domain's id.
    pub domain: String,
    /// Its seed.
    pub seed: u64,
    /// The journal of its run.
    pub journal: Vec<Value>,
}

/// Shows a shared scenario's run read-only; it is not kept until saved.
pub fn show_shared(keeper: &Shared, shared: SharedScenario) {
    let store = {
        let mut k = keeper.borrow_mut();
        k.opening = true;
        k.store.clone()
    };
    store.dispatch(Action::Open {
        domain: shared.domain,
        seed: shared.seed,
        journal: Rc::new(shared.journal),
        read_only: true,
    });
    let mut k = keeper.borrow_mut();
    k.identity = Some(Identity::of(&store.get()));
    k.status.current = None;
    k.status.shared = Some(shared.title);
    k.status.damaged = None;
    k.saved = 0;
    k.status.saved_facts = 0;
    k.opening = false;
    k.publish();
}

/// Keeps `journal` as a new workspace named `name` (written in one transaction), then
/// opens it.
pub async fn adopt(
    keeper: &Shared,
    name: &str,
    domain: &str,
    seed: u64,
    journal: Vec<Value>,
) -> Result<(), StoreError> {
    let db = keeper
        .borrow()
        .db()
        .ok_or_else(|| StoreError::Unavailable("the store is not open".into()))?;
    let mut workspace = Workspace::new(name, domain, seed, None);
    workspace.length = journal.len();
    let Some(domain) = domain_of(keeper, &workspace) else {
        return Ok(());
    };
    let engine = domain
        .rebuild(crate::session::config(seed), &journal)
        .map_err(|e| StoreError::Other(format!("the journal does not fold: {e}")))?;
    journal_store::append(
        &db,
        &workspace,
        0,
        &Segment::of(&*engine, 0, journal.len())?,
    )
    .await?;
    show(keeper, workspace, engine, None);
    refresh(keeper).await;
    keeper.borrow().post(Notice::Workspaces);
    Ok(())
}

/// Renames the current workspace.
pub async fn rename(keeper: &Shared, name: &str) -> Result<(), StoreError> {
    let (db, workspace) = {
        let mut k = keeper.borrow_mut();
        let (Some(db), Some(current)) = (k.db(), k.status.current.as_mut()) else {
            return Ok(());
        };
        current.name = name.into();
        (db, current.clone())
    };
    workspaces::put(&db, &workspace).await?;
    refresh(keeper).await;
    keeper.borrow().post(Notice::Workspaces);
    Ok(())
}

/// Deletes workspace `id` and its journal; when it is the one shown, opens the one opened
/// last among the others, or starts a fresh one.
pub async fn delete(keeper: &Shared, id: &str) -> Result<(), StoreError> {
    let Some(db) = keeper.borrow().db() else {
        return Ok(());
    };
    journal_store::delete_workspace(&db, id).await?;
    let was_current = keeper
        .borrow()
        .status
        .current
        .as_ref()
        .map(|c| c.id.as_str())
        == Some(id);
    if was_current {
        match workspaces::last_opened(&db).await? {
            Some(next) => open(keeper, next).await?,
            None => {
                let store = keeper.borrow().store.clone();
                let (domain, seed) = {
                    let session = store.get();
                    (session.domain().info().id.clone(), session.seed())
                };
                adopt(
                    keeper,
                    &format!("{domain} · seed {seed}"),
                    &domain,
                    seed,
                    Vec::new(),
                )
                .await?;
            }
        }
    }
    refresh(keeper).await;
    keeper.borrow().post(Notice::Workspaces);
    Ok(())
}

/// The stored journal of the current workspace, as kept (for a damaged one).
pub async fn raw_journal(keeper: &Shared) -> Result<Option<(String, String)>, StoreError> {
    let (db, current) = {
        let k = keeper.borrow();
        match (k.db(), k.status.current.clone()) {
            (Some(db), Some(current)) => (db, current),
            _ => return Ok(None),
        }
    };
    let text = journal_store::raw_text(&db, &current.id).await?;
    Ok(Some((current.name, text)))
}
