//! Tabs tell each other what they wrote, over a `BroadcastChannel`: an append to a
//! workspace's journal, a change to the list of workspaces, a newly imported scenario.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel's name.
pub const NAME: &str = "decider-lab";

/// What one tab (or panel) tells the others.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// `workspace`'s journal now has `length` entries.
    Appended {
        /// The workspace's id.
        workspace: String,
        /// Its journal's length.
        length: usize,
    },
    /// Workspaces were created, renamed or deleted.
    Workspaces,
    /// A scenario was imported into the spec suite.
    Scenarios,
}

/// An open channel; it listens until dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: Closure<dyn FnMut(MessageEvent)>,
}

impl Channel {
    /// Opens the channel; `on_notice` hears every notice another channel object posts.
    /// `None` where `BroadcastChannel` is not available.
    pub fn open(on_notice: impl Fn(Notice) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(NAME).ok()?;
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Ok(notice) = serde_wasm_bindgen::from_value(event.data()) {
                on_notice(notice);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells every other channel object (other tabs, other panels) about `notice`.
    pub fn post(&self, notice: &Notice) {
        if let Ok(value) = notice.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
            // A closed channel or an uncloneable value only loses a hint; the store is the
            // truth.
            let _ = self.channel.post_message(&value);
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
