//! The session as Yew state: a [`Reducible`] whose version changes with every action, so
//! every component that reads it through [`use_session`] renders again.

use super::{Action, Session};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The shared session and the version of its last change.
#[derive(Clone)]
pub struct SessionStore {
    session: Rc<RefCell<Session>>,
    version: u64,
}

impl SessionStore {
    /// A store holding `session`.
    pub fn new(session: Session) -> Self {
        SessionStore {
            session: Rc::new(RefCell::new(session)),
            version: 0,
        }
    }

    /// Reads the session. Never hold the borrow across a dispatch.
    pub fn get(&self) -> Ref<'_, Session> {
        self.session.borrow()
    }

    /// The shared cell, for callbacks that read the session later (the log's fetch).
    pub fn shared(&self) -> Rc<RefCell<Session>> {
        self.session.clone()
    }

    /// Changes with every action.
    pub fn version(&self) -> u64 {
        self.version
    }
}

impl PartialEq for SessionStore {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version && Rc::ptr_eq(&self.session, &other.session)
    }
}

impl Reducible for SessionStore {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        self.session.borrow_mut().apply(action);
        Rc::new(SessionStore {
            session: self.session.clone(),
            version: self.version + 1,
        })
    }
}

/// The session handle components receive through context.
pub type SessionHandle = UseReducerHandle<SessionStore>;

/// The session of the page.
#[hook]
pub fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("components render inside the session provider")
}
