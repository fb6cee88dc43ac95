//! User and group names from the VM's `/etc/passwd` and `/etc/group`,
//! read through the kernel like `getpwuid(3)` would.

use agentos_kernel::Task;

/// One `/etc/passwd` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
    pub home: String,
}

/// One `/etc/group` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub gid: u32,
    pub members: Vec<String>,
}

/// The user and group databases.
#[derive(Clone, Debug, Default)]
pub struct Db {
    pub users: Vec<User>,
    pub groups: Vec<Group>,
}

fn read(task: &Task, path: &str) -> String {
    super::input::read_file(task, path).map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
}

impl Db {
    pub fn load(task: &Task) -> Db {
        Db::parse(&read(task, "/etc/passwd"), &read(task, "/etc/group"))
    }

    pub fn parse(passwd: &str, group: &str) -> Db {
        let users = passwd
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.len() >= 6).then(|| User {
                    name: f[0].into(),
                    uid: f[2].parse().unwrap_or(u32::MAX),
                    gid: f[3].parse().unwrap_or(u32::MAX),
                    home: f[5].into(),
                })
            })
            .collect();
        let groups = group
            .lines()
            .filter_map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                (f.len() >= 3).then(|| Group {
                    name: f[0].into(),
                    gid: f[2].parse().unwrap_or(u32::MAX),
                    members: f
                        .get(3)
                        .map(|m| m.split(',').filter(|s| !s.is_empty()).map(String::from).collect())
                        .unwrap_or_default(),
                })
            })
            .collect();
        Db { users, groups }
    }

    pub fn user(&self, uid: u32) -> Option<&User> {
        self.users.iter().find(|u| u.uid == uid)
    }
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }
    pub fn group(&self, gid: u32) -> Option<&Group> {
        self.groups.iter().find(|g| g.gid == gid)
    }
    pub fn group_by_name(&self, name: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.name == name)
    }
    /// User name, or the number if unknown.
    pub fn user_name(&self, uid: u32) -> String {
        self.user(uid).map(|u| u.name.clone()).unwrap_or_else(|| uid.to_string())
    }
    /// Group name, or the number if unknown.
    pub fn group_name(&self, gid: u32) -> String {
        self.group(gid).map(|g| g.name.clone()).unwrap_or_else(|| gid.to_string())
    }
    /// Supplementary groups of `user` (primary first), as `id` lists them.
    pub fn groups_of(&self, name: &str, primary: u32) -> Vec<u32> {
        let mut v = vec![primary];
        for g in &self.groups {
            if g.members.iter().any(|m| m == name) && !v.contains(&g.gid) {
                v.push(g.gid);
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_databases() {
        let db = Db::parse(
            "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n",
            "root:x:0:\ntty:x:5:user\nuser:x:1000:\n",
        );
        assert_eq!(db.user_name(1000), "user");
        assert_eq!(db.user_name(7), "7");
        assert_eq!(db.group_name(5), "tty");
        assert_eq!(db.groups_of("user", 1000), vec![1000, 5]);
        assert_eq!(db.user_by_name("root").map(|u| u.home.as_str()), Some("/root"));
    }
}
