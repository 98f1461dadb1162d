//! [`ReactorNames`]: the shared text of each reactor's name, found by where the system
//! lends it.

use crate::ids::SharedStr;

/// The names of the reactors (sagas, process managers) whose commands an engine queued,
/// each one text shared by every command its reactor issues
/// ([`crate::envelope::Origin::Reactor`]).
///
/// A reactor names itself with a `&str` borrowed from the system
/// ([`crate::ProcessManager::name`]), which the engine holds and never changes: the same
/// address and length is the same text as long as the engine lives. A name is found by
/// them, without reading its text; only a name lent from a new place is compared by its
/// text, so a name lent from two places is still one shared text. (The addresses are only
/// compared, never read through.)
#[derive(Default)]
pub(crate) struct ReactorNames(Vec<Lent>);

/// One place a reactor's name was lent from, and its shared text.
struct Lent {
    /// The address of the lent text.
    addr: usize,
    /// Its length in bytes.
    len: usize,
    /// Its shared copy.
    name: SharedStr,
}

impl ReactorNames {
    /// The shared copy of `name`, lent by the engine's system: added on first use (a
    /// system has few reactors).
    #[inline]
    pub(crate) fn intern(&mut self, name: &str) -> SharedStr {
        let (addr, len) = (name.as_ptr() as usize, name.len());
        match self
            .0
            .iter()
            .find(|lent| lent.addr == addr && lent.len == len)
        {
            Some(lent) => lent.name.clone(),
            None => self.lent_from_a_new_place(name),
        }
    }

    /// [`ReactorNames::intern`] of a name lent from where no name was lent before: the
    /// shared copy of the same text, if a name had it, else a new one.
    #[cold]
    #[inline(never)]
    fn lent_from_a_new_place(&mut self, name: &str) -> SharedStr {
        let known = self.0.iter().find(|lent| *lent.name == *name);
        let shared = known.map_or_else(|| SharedStr::from(name), |lent| lent.name.clone());
        self.0.push(Lent {
            addr: name.as_ptr() as usize,
            len: name.len(),
            name: shared.clone(),
        });
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::ReactorNames;

    #[test]
    fn a_name_is_one_shared_text_wherever_it_is_lent_from() {
        let mut names = ReactorNames::default();
        let (here, there) = (String::from("welcome"), String::from("welcome"));
        let first = names.intern(&here);
        assert_eq!(&*first, "welcome");
        assert_eq!(
            first.as_ptr(),
            names.intern(&here).as_ptr(),
            "found by its place"
        );
        assert_eq!(
            first.as_ptr(),
            names.intern(&there).as_ptr(),
            "found by its text"
        );
        assert_eq!(first.as_ptr(), names.intern(&there).as_ptr());
        let prefix = names.intern(&here[..3]);
        assert_eq!(&*prefix, "wel", "the same address, another length");
        assert_ne!(prefix.as_ptr(), first.as_ptr());
        assert_eq!(names.0.len(), 3);
    }
}
