//! The chat adapters a process runs, shared by the delivery worker and the
//! adapters that join or leave it while the process runs.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::ChatPort;
use crate::domain::Platform;

/// The adapters running in this process, by platform. Clones share one
/// set: an adapter that starts late (it waited for its lease) joins it,
/// and one that stops leaves it, so its messages wait for whoever runs it.
#[derive(Clone, Default)]
pub struct Ports {
    ports: Arc<RwLock<HashMap<Platform, Arc<dyn ChatPort>>>>,
}

impl Ports {
    pub fn with(self, port: Arc<dyn ChatPort>) -> Ports {
        self.add(port);
        self
    }

    pub fn add(&self, port: Arc<dyn ChatPort>) {
        self.write().insert(port.platform(), port);
    }

    pub fn remove(&self, platform: Platform) {
        self.write().remove(&platform);
    }

    pub fn get(&self, platform: Platform) -> Option<Arc<dyn ChatPort>> {
        self.read().get(&platform).cloned()
    }

    pub fn platforms(&self) -> Vec<Platform> {
        let mut platforms: Vec<Platform> = self.read().keys().copied().collect();
        platforms.sort_by_key(|p| p.as_str());
        platforms
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<Platform, Arc<dyn ChatPort>>> {
        self.ports
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<Platform, Arc<dyn ChatPort>>> {
        self.ports
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
