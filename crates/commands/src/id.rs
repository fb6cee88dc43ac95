//! `id [-u|-g|-G] [-n] [-r] [USER]`, `whoami`, `groups`: identities from
//! the process's credentials and the VM's `/etc/passwd` and `/etc/group`.

use agentos_kernel::Task;

use crate::util::{self, Arg, Spec, opts, users::Db};

pub fn main(task: &mut Task) -> i32 {
    const NAME: &str = "id";
    const LONG: &[(&str, Arg, char)] = &[
        ("user", Arg::No, 'u'),
        ("group", Arg::No, 'g'),
        ("groups", Arg::No, 'G'),
        ("name", Arg::No, 'n'),
        ("real", Arg::No, 'r'),
        ("zero", Arg::No, 'z'),
        ("help", Arg::No, 'H'),
    ];
    let p = match opts::parse(&Spec::new("ugGnrzaZ", LONG), &task.argv[1..]) {
        Ok(p) => p,
        Err(m) => return util::usage_error(task, NAME, &m, 1),
    };
    if p.has('H') {
        return util::help(task, NAME, "[OPTION]... [USER]...");
    }
    let db = Db::load(task);
    let (uid, gid) = match p.operands.first() {
        Some(name) => match db.user_by_name(name).or_else(|| name.parse().ok().and_then(|u| db.user(u))) {
            Some(u) => (u.uid, u.gid),
            None => {
                util::error(task, NAME, &format!("{}: no such user", util::quote(name)));
                return 1;
            }
        },
        None => {
            let c = task.cred();
            (c.uid, c.gid)
        }
    };
    let uname = db.user(uid).map(|u| u.name.clone());
    let groups = db.groups_of(uname.as_deref().unwrap_or(""), gid);
    let names = p.has('n');
    let term = if p.has('z') { "\0" } else { "\n" };
    let show_u = |n: bool| if n { db.user_name(uid) } else { uid.to_string() };
    let show_g = |g: u32, n: bool| if n { db.group_name(g) } else { g.to_string() };
    let out = if p.has('u') {
        format!("{}{term}", show_u(names))
    } else if p.has('g') {
        format!("{}{term}", show_g(gid, names))
    } else if p.has('G') {
        let sep = if p.has('z') { "\0" } else { " " };
        format!("{}{term}", groups.iter().map(|g| show_g(*g, names)).collect::<Vec<_>>().join(sep))
    } else {
        if names {
            return util::usage_error(task, NAME, "cannot print only names or real IDs in default format", 1);
        }
        let paren = |name: Option<String>| name.map(|n| format!("({n})")).unwrap_or_default();
        let gl: Vec<String> =
            groups.iter().map(|g| format!("{g}{}", paren(db.group(*g).map(|x| x.name.clone())))).collect();
        format!(
            "uid={uid}{} gid={gid}{} groups={}\n",
            paren(uname.clone()),
            paren(db.group(gid).map(|g| g.name.clone())),
            gl.join(",")
        )
    };
    util::out(task, out.as_bytes());
    0
}

pub fn whoami_main(task: &mut Task) -> i32 {
    if task.argv.len() > 1 {
        if task.argv[1] == "--help" {
            return util::help(task, "whoami", "[OPTION]...");
        }
        return util::usage_error(task, "whoami", &format!("extra operand {}", util::quote(&task.argv[1])), 1);
    }
    let db = Db::load(task);
    let uid = task.cred().uid;
    match db.user(uid) {
        Some(u) => {
            util::out(task, format!("{}\n", u.name).as_bytes());
            0
        }
        None => {
            util::error(task, "whoami", &format!("cannot find name for user ID {uid}"));
            1
        }
    }
}

pub fn groups_main(task: &mut Task) -> i32 {
    let db = Db::load(task);
    let c = task.cred();
    let who = task.argv.get(1).cloned();
    let (name, gid) = match &who {
        Some(n) => match db.user_by_name(n) {
            Some(u) => (u.name.clone(), u.gid),
            None => {
                util::error(task, "groups", &format!("{}: no such user", util::quote(n)));
                return 1;
            }
        },
        None => (db.user_name(c.uid), c.gid),
    };
    let gl: Vec<String> = db.groups_of(&name, gid).iter().map(|g| db.group_name(*g)).collect();
    let prefix = if who.is_some() { format!("{name} : ") } else { String::new() };
    util::out(task, format!("{prefix}{}\n", gl.join(" ")).as_bytes());
    0
}
