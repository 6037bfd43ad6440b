//! Shutdown, injected: one [`Trigger`] and any number of [`Shutdown`]
//! listeners. A listener can be asked at any moment whether the stop has
//! come (so a worker finishing a batch takes no more work) or awaited.

use std::sync::Arc;

use tokio::sync::watch;

/// Fires the stop for every listener made from it.
#[derive(Debug)]
pub struct Trigger(watch::Sender<bool>);

/// Hears the stop. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Shutdown {
    stopped: watch::Receiver<bool>,
    /// Only for [`Shutdown::never`]: a dropped sender reads as a stop.
    _open: Option<Arc<watch::Sender<bool>>>,
}

/// A new trigger and its listener.
pub fn channel() -> (Trigger, Shutdown) {
    let (sender, stopped) = watch::channel(false);
    (
        Trigger(sender),
        Shutdown {
            stopped,
            _open: None,
        },
    )
}

impl Trigger {
    pub fn fire(&self) {
        self.0.send_replace(true);
    }

    /// Another listener of this trigger.
    pub fn listener(&self) -> Shutdown {
        Shutdown {
            stopped: self.0.subscribe(),
            _open: None,
        }
    }
}

impl Shutdown {
    /// A listener that never hears a stop, for a single pass run by hand.
    pub fn never() -> Shutdown {
        let (sender, stopped) = watch::channel(false);
        Shutdown {
            stopped,
            _open: Some(Arc::new(sender)),
        }
    }

    /// Whether the stop has come (a dropped trigger counts as one).
    pub fn is_set(&self) -> bool {
        *self.stopped.borrow() || self.stopped.has_changed().is_err()
    }

    /// Resolves once the stop has come.
    pub async fn wait(mut self) {
        let _ = self.stopped.wait_for(|stop| *stop).await;
    }

    /// A listener that also stops when `also` fires: for work that can end
    /// on its own account (a lost lease) as well as with the process.
    pub fn or(&self, also: &Trigger) -> Shutdown {
        let (trigger, child) = channel();
        let (parent, own) = (self.clone(), also.listener());
        tokio::spawn(async move {
            tokio::select! {
                () = parent.wait() => {}
                () = own.wait() => {}
            }
            trigger.fire();
        });
        child
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fired_trigger_reaches_every_listener_and_a_child() {
        let (trigger, shutdown) = channel();
        let other = trigger.listener();
        let (own, _) = channel();
        let child = shutdown.or(&own);
        assert!(!shutdown.is_set() && !child.is_set());
        trigger.fire();
        assert!(shutdown.is_set() && other.is_set());
        child.clone().wait().await;
        assert!(child.is_set());
    }

    #[tokio::test]
    async fn a_child_stops_on_its_own_trigger_and_the_parent_does_not() {
        let (_trigger, shutdown) = channel();
        let (own, _) = channel();
        let child = shutdown.or(&own);
        own.fire();
        child.clone().wait().await;
        assert!(!shutdown.is_set());
    }

    #[test]
    fn never_stays_unset() {
        assert!(!Shutdown::never().is_set());
    }
}
