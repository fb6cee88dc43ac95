//! The ES-module half of module loading: QuickJS asks this resolver and
//! loader for `import` specifiers; both defer to the JS module system
//! (`module.js`: Node's resolution over the VFS) through the hidden
//! `__agentos` object, so CommonJS and ES modules resolve identically.
//!
//! ES sources are compiled through the bytecode cache; CommonJS files,
//! JSON and built-ins are exposed as synthetic modules whose exports are
//! the `module.exports` object's keys (Node's CJS named exports).

use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::module::Declared;
use rquickjs::{Ctx, Function, Module, Object};

fn internals<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Object<'js>> {
    ctx.globals().get("__agentos")
}

/// Resolves specifiers with Node's ESM rules (JS `esmResolve`).
pub struct NodeResolver;

impl Resolver for NodeResolver {
    fn resolve<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        let f: Function = internals(ctx)?.get("esmResolve")?;
        f.call((name, base))
    }
}

/// Loads resolved modules: ES sources compiled (cached), others shimmed.
pub struct NodeLoader;

impl Loader for NodeLoader {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        let int = internals(ctx)?;
        let f: Function = int.get("esmSource")?;
        // `[kind, source]`: kind "esm" for real ES source, else a shim.
        let pair: rquickjs::Array = f.call((name,))?;
        let (kind, src): (String, String) = (pair.get(0)?, pair.get(1)?);
        let m = if kind == "esm" {
            crate::cache_unsafe::declare_module(ctx, name, &src)?
        } else {
            Module::declare(ctx.clone(), name, src)?
        };
        if kind == "esm" {
            let meta = m.meta()?;
            let init: Function = int.get("initImportMeta")?;
            init.call::<_, ()>((meta, name))?;
        }
        Ok(m)
    }
}
