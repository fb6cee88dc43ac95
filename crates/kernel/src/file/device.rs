//! Character devices: `/dev/null`, `/dev/zero`, `/dev/full`,
//! `/dev/random`, `/dev/urandom`. Analogue: Linux `drivers/char/mem.c`.

use std::sync::Arc;

use super::{Stream, anon_stat, poll};
use crate::abi::{Errno, KResult, S_IFCHR, Stat};
use crate::clock::Entropy;
use crate::wait::WaitQueue;

/// Which device a character-device inode is, by its `rdev`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Device {
    Null,
    Zero,
    Full,
    Random,
    URandom,
}

impl Device {
    /// Linux's `makedev(major, minor)` for each device.
    pub fn rdev(self) -> u64 {
        match self {
            Device::Null => makedev(1, 3),
            Device::Zero => makedev(1, 5),
            Device::Full => makedev(1, 7),
            Device::Random => makedev(1, 8),
            Device::URandom => makedev(1, 9),
        }
    }

    pub fn from_rdev(rdev: u64) -> Option<Device> {
        [Device::Null, Device::Zero, Device::Full, Device::Random, Device::URandom]
            .into_iter()
            .find(|d| d.rdev() == rdev)
    }
}

pub fn makedev(major: u64, minor: u64) -> u64 {
    (major << 8) | minor
}

struct DevStream {
    dev: Device,
    entropy: Arc<dyn Entropy>,
    wq: WaitQueue,
}

/// Open a device by `rdev`; `ENXIO` for devices that do not exist here.
pub fn open_device(rdev: u64, entropy: Arc<dyn Entropy>) -> KResult<Arc<dyn Stream>> {
    let dev = Device::from_rdev(rdev).ok_or(Errno::ENXIO)?;
    Ok(Arc::new(DevStream { dev, entropy, wq: WaitQueue::new() }))
}

impl Stream for DevStream {
    fn try_read(&self, buf: &mut [u8]) -> KResult<usize> {
        match self.dev {
            Device::Null => Ok(0),
            Device::Zero | Device::Full => {
                buf.fill(0);
                Ok(buf.len())
            }
            Device::Random | Device::URandom => {
                self.entropy.fill(buf);
                Ok(buf.len())
            }
        }
    }
    fn try_write(&self, buf: &[u8]) -> KResult<usize> {
        match self.dev {
            Device::Full => Err(Errno::ENOSPC),
            _ => Ok(buf.len()),
        }
    }
    fn poll(&self) -> u32 {
        poll::IN | poll::OUT
    }
    fn wait_queue(&self) -> &WaitQueue {
        &self.wq
    }
    fn stat(&self) -> Stat {
        let mut st = anon_stat(S_IFCHR | 0o666, 0);
        st.rdev = self.dev.rdev();
        st.uid = 0;
        st.gid = 0;
        st
    }
    fn describe(&self) -> String {
        match self.dev {
            Device::Null => "/dev/null",
            Device::Zero => "/dev/zero",
            Device::Full => "/dev/full",
            Device::Random => "/dev/random",
            Device::URandom => "/dev/urandom",
        }
        .to_string()
    }
}
