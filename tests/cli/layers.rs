//! The crate's module structure, read from its own source under `src/` with `syn`:
//!
//! - Rule A: no import cycle between files. Each file is a node (`src/a/b.rs` and
//!   `src/a/b/mod.rs` are both module `a::b`); file A points at file B when A names B or an
//!   item inside it: in a `use` tree (`crate::…`, `super::…`, `self::…`, or a child module's
//!   name; nested braces, renames, globs and `pub use` included), or in a path anywhere in
//!   the code, types and macro arguments included (`crate::number::LIMIT`). A path stands
//!   for the longest prefix of it that is a module file, so a name re-exported by
//!   `read/mod.rs` points at `read/mod.rs`. A module and its direct children point at each
//!   other freely, both ways: a parent declares and re-exports its children.
//! - Rule B: layers point one way. A file's layer is that of its first path component under
//!   `src/` (table [`LAYERS`]); it may name modules of its own layer or lower ones only. A
//!   top-level module missing from the table is itself a failure, so that a new module is
//!   placed on purpose. The crate roots `lib.rs` and `main.rs` are exempt.
//! - Rule C: clap's parser (`Parser`, `Args`, `Subcommand`, `ArgMatches`, `Command`, `Arg`,
//!   the `#[arg]`, `#[command]`, `#[group]` and `#[clap]` attributes, and anything else of
//!   `clap` or `clap_complete`) is named only under `cli/` and `cmd/`. One thing is allowed
//!   everywhere: a vocabulary enum in `model/` derives `clap::ValueEnum` (next to serde) once,
//!   so that every option taking that vocabulary shares it; its `#[value(...)]` attributes go
//!   with it. The crate roots are held to it too: `main.rs` only calls `parindex::main`.
//!
//! Code under `#[cfg(test)]` (test modules, test-only items) is left out of rules A and B:
//! tests wire layers together on purpose. Rule C looks at test code too.
//!
//! The checker itself is tested at the bottom of this file on small made-up crates.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::Path;

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Item, Meta, Token, UseTree};

/// Each top-level module's layer, highest first: a file may name modules of its own layer or
/// lower ones. The base files (layer 0) may name only each other.
const LAYERS: &[(&str, u8)] = &[
    ("cli", 6),
    ("cmd", 5),
    ("report", 4),
    ("audit", 4),
    ("generate", 4),
    ("import", 4),
    ("score", 3),
    ("read", 2),
    ("model", 1),
    ("diagnostic", 0),
    ("lang", 0),
    ("source", 0),
    ("text", 0),
    ("output", 0),
    ("pdf", 0),
    ("progress", 0),
    ("exit", 0),
];

/// The crate roots: exempt from rule B. `main.rs` is a crate of its own and is not
/// part of the graph of rule A.
const ROOTS: &[&str] = &["lib.rs", "main.rs"];

/// The top-level modules where clap's parser may be named.
const CLAP_HOMES: &[&str] = &["cli", "cmd"];

/// The crates that make up clap's parser.
const CLAP_CRATES: &[&str] = &["clap", "clap_complete"];

/// clap's attributes for `Parser`, `Args` and `Subcommand` derives. `#[value(...)]`, which
/// goes with `ValueEnum`, is allowed anywhere.
const CLAP_PARSER_ATTRIBUTES: &[&str] = &["arg", "command", "group", "clap"];

#[test]
fn no_import_cycle_between_files() {
    let problems = cycle_problems(&crate_source());
    assert!(
        problems.is_empty(),
        "Rule A, no import cycle between files: {} cycle(s)\n\n{}\n\nHint: move what the files \
         of a cycle share into a module they can all name, or pass it in, so imports point one \
         way.\n",
        problems.len(),
        problems.join("\n\n"),
    );
}

#[test]
fn layers_point_one_way() {
    let problems = layer_problems(&crate_source());
    assert!(
        problems.is_empty(),
        "Rule B, layers point one way ({}): {} problem(s)\n\n{}\n\nHint: a file may name only \
         its own layer or lower ones; move the shared item down a layer or have the caller pass \
         it in, and give a new top-level module its place in LAYERS.\n",
        layer_table(),
        problems.len(),
        problems.join("\n"),
    );
}

#[test]
fn clap_parser_only_in_cli_and_cmd() {
    let problems = clap_problems(&crate_source());
    assert!(
        problems.is_empty(),
        "Rule C, clap's parser only in cli/ and cmd/: {} problem(s)\n\n{}\n\nHint: parse the \
         command line in cli/ or cmd/ and hand plain values down; elsewhere only a \
         `clap::ValueEnum` derive and its `#[value(...)]` attributes are allowed.\n",
        problems.len(),
        problems.join("\n"),
    );
}

/// One source file: its path under `src/`, with `/` between folders, and its syntax tree.
struct SourceFile {
    path: String,
    syntax: syn::File,
}

impl SourceFile {
    fn parse(path: &str, text: &str) -> SourceFile {
        let syntax = syn::parse_file(text).unwrap_or_else(|e| panic!("src/{path}: {e}"));
        SourceFile { path: path.to_owned(), syntax }
    }

    fn is_root(&self) -> bool {
        ROOTS.contains(&self.path.as_str())
    }

    /// The module the file holds: `a/b.rs` and `a/b/mod.rs` hold `a::b`, `lib.rs` the root.
    fn module(&self) -> Vec<String> {
        let mut module: Vec<String> =
            self.path.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
        if module.last().is_some_and(|last| last == "mod") || self.path == "lib.rs" {
            module.pop();
        }
        module
    }

    /// The first path component under `src/`, which decides the layer.
    fn top(&self) -> &str {
        self.path.split('/').next().unwrap_or_default().trim_end_matches(".rs")
    }
}

/// Every `.rs` file under `src/`, sorted by path.
fn crate_source() -> Vec<SourceFile> {
    fn walk(dir: &Path, under: &str, files: &mut Vec<SourceFile>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let path = format!("{under}{name}");
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{path}/"), files);
            } else if Path::new(&name).extension().is_some_and(|ext| ext == "rs") {
                files.push(SourceFile::parse(
                    &path,
                    &std::fs::read_to_string(entry.path()).unwrap(),
                ));
            }
        }
    }
    let mut files = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), "", &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// A place where one file names another file's module.
#[derive(Debug, Clone)]
struct Reference {
    line: usize,
    /// The path as written, `crate::number::LIMIT`.
    written: String,
}

/// For each pair of files (indices into the slice), where the first names the second first.
/// Test code and `main.rs` are left out; a file naming itself is no reference.
fn references(files: &[SourceFile]) -> BTreeMap<(usize, usize), Reference> {
    let modules: BTreeMap<Vec<String>, usize> = files
        .iter()
        .enumerate()
        .filter(|(_, file)| file.path != "main.rs")
        .map(|(i, file)| (file.module(), i))
        .collect();
    let mut pairs: BTreeMap<(usize, usize), Reference> = BTreeMap::new();
    for (module, &from) in &modules {
        let mut names = ModuleNames { modules: &modules, scope: module.clone(), found: Vec::new() };
        names.visit_file(&files[from].syntax);
        for (to, reference) in names.found.into_iter().filter(|(to, _)| *to != from) {
            let earliest = pairs.entry((from, to)).or_insert_with(|| reference.clone());
            if reference.line < earliest.line {
                *earliest = reference;
            }
        }
    }
    pairs
}

/// Whether one of two modules is the other's direct parent.
fn parent_and_child(a: &[String], b: &[String]) -> bool {
    a.len() + 1 == b.len() && b.starts_with(a) || b.len() + 1 == a.len() && a.starts_with(b)
}

/// Rule A: each strongly connected group of files, written out with the references that
/// join it.
fn cycle_problems(files: &[SourceFile]) -> Vec<String> {
    let pairs: BTreeMap<(usize, usize), Reference> = references(files)
        .into_iter()
        .filter(|((from, to), _)| !parent_and_child(&files[*from].module(), &files[*to].module()))
        .collect();
    let edges: BTreeSet<(usize, usize)> = pairs.keys().copied().collect();
    strongly_connected(files.len(), &edges)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| {
            let round: Vec<&str> = shortest_cycle(&component, &edges)
                .iter()
                .map(|&i| files[i].path.as_str())
                .collect();
            let mut text = if round.len() > component.len() {
                format!("cycle of {} files: {}", component.len(), round.join(" → "))
            } else {
                let all: Vec<&str> = component.iter().map(|&i| files[i].path.as_str()).collect();
                format!(
                    "cycles among {} files ({}), one of them: {}",
                    component.len(),
                    all.join(", "),
                    round.join(" → ")
                )
            };
            for ((from, to), reference) in &pairs {
                if component.contains(from) && component.contains(to) {
                    write!(
                        text,
                        "\n    src/{}:{} names {} ({})",
                        files[*from].path, reference.line, files[*to].path, reference.written
                    )
                    .unwrap();
                }
            }
            text
        })
        .collect()
}

/// Rule B: top-level modules missing from the table, and references up the layers.
fn layer_problems(files: &[SourceFile]) -> Vec<String> {
    let layer = |file: &SourceFile| LAYERS.iter().find(|(top, _)| *top == file.top()).map(|l| l.1);
    let mut unknown: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for file in files.iter().filter(|file| !file.is_root() && layer(file).is_none()) {
        unknown.entry(file.top()).or_default().push(&file.path);
    }
    let mut problems: Vec<String> = unknown
        .iter()
        .map(|(top, paths)| {
            format!(
                "top-level module `{top}` has no layer ({}): add it to the layer table",
                paths.join(", ")
            )
        })
        .collect();
    for ((from, to), reference) in references(files) {
        let (from, to) = (&files[from], &files[to]);
        if from.is_root() || to.is_root() {
            continue;
        }
        if let (Some(low), Some(high)) = (layer(from), layer(to))
            && high > low
        {
            problems.push(format!(
                "src/{}:{} ({} {low}) names {} ({} {high}): {}",
                from.path,
                reference.line,
                from.top(),
                to.path,
                to.top(),
                reference.written
            ));
        }
    }
    problems
}

/// The layer table on one line: `cli 6, cmd 5, …`.
fn layer_table() -> String {
    LAYERS.iter().map(|(top, layer)| format!("{top} {layer}")).collect::<Vec<_>>().join(", ")
}

/// Rule C: every place outside `cli/` and `cmd/` that names clap's parser, test code
/// included.
fn clap_problems(files: &[SourceFile]) -> Vec<String> {
    let mut problems = Vec::new();
    // The crate roots too: the binary's `main.rs` hands the command line to `cli`.
    for file in files.iter().filter(|file| !CLAP_HOMES.contains(&file.top())) {
        let mut names = ClapNames::default();
        names.visit_file(&file.syntax);
        for (line, written) in names.found {
            problems.push(format!("src/{}:{line} names {written}", file.path));
        }
    }
    problems
}

/// The paths a `use` tree imports, each with the span of its last name: `use a::{b, c::*}`
/// gives `a::b` and `a::c::*`; `a::{self}` gives `a`; a rename gives the original path.
fn use_paths(tree: &UseTree) -> Vec<(Vec<String>, Span)> {
    fn walk(tree: &UseTree, prefix: &mut Vec<String>, paths: &mut Vec<(Vec<String>, Span)>) {
        let mut leaf = |name: &syn::Ident| {
            let mut path = prefix.clone();
            if name != "self" {
                path.push(name.to_string());
            }
            paths.push((path, name.span()));
        };
        match tree {
            UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                walk(&p.tree, prefix, paths);
                prefix.pop();
            }
            UseTree::Name(n) => leaf(&n.ident),
            UseTree::Rename(r) => leaf(&r.ident),
            UseTree::Glob(g) => {
                let mut path = prefix.clone();
                path.push("*".to_owned());
                paths.push((path, g.star_token.spans[0]));
            }
            UseTree::Group(g) => {
                for tree in &g.items {
                    walk(tree, prefix, paths);
                }
            }
        }
    }
    let mut paths = Vec::new();
    walk(tree, &mut Vec::new(), &mut paths);
    paths
}

/// The paths of two or more names (`a::b::c`) in a macro's tokens, which syn leaves
/// unparsed: `format!("{}", crate::number::LIMIT)` names `crate::number`.
fn token_paths(tokens: TokenStream) -> Vec<(Vec<String>, Span)> {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let punct = |at: usize, c: char| {
        tokens.get(at).is_some_and(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == c))
    };
    let colons = |at: usize| punct(at, ':') && punct(at + 1, ':');
    let mut paths = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        match &tokens[at] {
            TokenTree::Group(group) => {
                paths.extend(token_paths(group.stream()));
                at += 1;
            }
            // Not the tail of `::name`, `x::<T>::name` or `$crate::name`.
            TokenTree::Ident(first)
                if !(at >= 2 && colons(at - 2) || at >= 1 && punct(at - 1, '$')) =>
            {
                let mut path = vec![first.to_string()];
                at += 1;
                while colons(at) {
                    let Some(TokenTree::Ident(next)) = tokens.get(at + 2) else { break };
                    path.push(next.to_string());
                    at += 3;
                }
                if path.len() > 1 {
                    paths.push((path, first.span()));
                }
            }
            _ => at += 1,
        }
    }
    paths
}

/// Whether attributes hold `#[cfg(test)]` or `#[cfg(all(test, …))]`.
fn is_test_only(attrs: &[Attribute]) -> bool {
    fn needs_test(meta: &Meta) -> bool {
        match meta {
            Meta::Path(path) => path.is_ident("test"),
            Meta::List(list) if list.path.is_ident("all") => list
                .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .is_ok_and(|all| all.iter().any(needs_test)),
            _ => false,
        }
    }
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.parse_args::<Meta>().is_ok_and(|m| needs_test(&m)))
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Collects, for one file, the module files it names outside test code.
struct ModuleNames<'a> {
    /// Every module that is a file, and the file's index.
    modules: &'a BTreeMap<Vec<String>, usize>,
    /// The module being read: the file's, then an inline `mod` inside it.
    scope: Vec<String>,
    found: Vec<(usize, Reference)>,
}

impl ModuleNames<'_> {
    /// Notes the module file a path names, if it names one: a path from `crate`, `self` or
    /// `super`, or from a child module that is a file. Anything else is another crate's, or a
    /// local name.
    fn note(&mut self, path: &[String], span: Span) {
        let Some(first) = path.first() else { return };
        let is_child = |name: &str| {
            let mut child = self.scope.clone();
            child.push(name.to_owned());
            self.modules.contains_key(&child)
        };
        let mut module = match first.as_str() {
            "crate" => Vec::new(),
            "self" | "super" => self.scope.clone(),
            child if is_child(child) => self.scope.clone(),
            _ => return,
        };
        let mut rest = path.iter().skip(usize::from(first == "crate")).peekable();
        while let Some(step) = rest.next_if(|s| *s == "self" || *s == "super") {
            if step == "super" && module.pop().is_none() {
                return;
            }
        }
        module.extend(rest.cloned());
        let to = (0..=module.len()).rev().find_map(|n| self.modules.get(&module[..n]));
        if let Some(&to) = to {
            let written = path.join("::");
            self.found.push((to, Reference { line: span.start().line, written }));
        }
    }
}

impl<'ast> Visit<'ast> for ModuleNames<'_> {
    fn visit_item(&mut self, item: &'ast Item) {
        if !is_test_only(item_attrs(item)) {
            visit::visit_item(self, item);
        }
    }

    fn visit_impl_item(&mut self, item: &'ast syn::ImplItem) {
        let attrs = match item {
            syn::ImplItem::Const(i) => &i.attrs,
            syn::ImplItem::Fn(i) => &i.attrs,
            syn::ImplItem::Type(i) => &i.attrs,
            syn::ImplItem::Macro(i) => &i.attrs,
            _ => return visit::visit_impl_item(self, item),
        };
        if !is_test_only(attrs) {
            visit::visit_impl_item(self, item);
        }
    }

    fn visit_trait_item(&mut self, item: &'ast syn::TraitItem) {
        let attrs = match item {
            syn::TraitItem::Const(i) => &i.attrs,
            syn::TraitItem::Fn(i) => &i.attrs,
            syn::TraitItem::Type(i) => &i.attrs,
            syn::TraitItem::Macro(i) => &i.attrs,
            _ => return visit::visit_trait_item(self, item),
        };
        if !is_test_only(attrs) {
            visit::visit_trait_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.scope.push(item.ident.to_string());
        visit::visit_item_mod(self, item);
        self.scope.pop();
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        // `use ::name` is always another crate.
        if item.leading_colon.is_none() {
            for (path, span) in use_paths(&item.tree) {
                self.note(&path, span);
            }
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        // One name alone (`self`, a local) names no module of its own.
        if path.leading_colon.is_none() && path.segments.len() > 1 {
            let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.note(&names, path.segments[0].ident.span());
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        for (path, span) in token_paths(mac.tokens.clone()) {
            self.note(&path, span);
        }
    }

    // `pub(in crate::a)` limits who sees an item; it uses nothing.
    fn visit_vis_restricted(&mut self, _: &'ast syn::VisRestricted) {}
}

/// Collects, for one file, each place it names clap beyond `clap::ValueEnum`.
#[derive(Default)]
struct ClapNames {
    found: Vec<(usize, String)>,
}

impl ClapNames {
    fn note(&mut self, path: &[String], span: Span) {
        let clap = path.first().is_some_and(|first| CLAP_CRATES.contains(&first.as_str()));
        let value_enum = path.len() > 1 && path[0] == "clap" && path[1] == "ValueEnum";
        if clap && !value_enum {
            self.found.push((span.start().line, path.join("::")));
        }
    }
}

impl<'ast> Visit<'ast> for ClapNames {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        for (path, span) in use_paths(&item.tree) {
            self.note(&path, span);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if names.len() > 1 {
            self.note(&names, path.segments[0].ident.span());
        }
        visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        visit::visit_macro(self, mac);
        for (path, span) in token_paths(mac.tokens.clone()) {
            self.note(&path, span);
        }
    }

    fn visit_attribute(&mut self, attr: &'ast Attribute) {
        let name = attr.path();
        if name.is_ident("derive") {
            // `#[derive(clap::Parser)]`: syn leaves the list unparsed.
            let derived =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated);
            for path in derived.iter().flatten() {
                self.visit_path(path);
            }
        } else if let Some(clap) = CLAP_PARSER_ATTRIBUTES.iter().find(|a| name.is_ident(a)) {
            let span = name.segments[0].ident.span();
            self.found.push((span.start().line, format!("#[{clap}(…)] (clap's parser)")));
        }
        visit::visit_attribute(self, attr);
    }
}

/// Tarjan's strongly connected components of a graph on `0..nodes`, each sorted.
fn strongly_connected(nodes: usize, edges: &BTreeSet<(usize, usize)>) -> Vec<Vec<usize>> {
    struct Walk {
        next: Vec<Vec<usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        count: usize,
        components: Vec<Vec<usize>>,
    }
    impl Walk {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.count);
            self.low[v] = self.count;
            self.count += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            for w in self.next[v].clone() {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(index) if self.on_stack[w] => self.low[v] = self.low[v].min(index),
                    Some(_) => {}
                }
            }
            if self.index[v] == Some(self.low[v]) {
                let mut component = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                component.sort_unstable();
                self.components.push(component);
            }
        }
    }
    let mut next = vec![Vec::new(); nodes];
    for &(from, to) in edges {
        next[from].push(to);
    }
    let mut walk = Walk {
        next,
        index: vec![None; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        stack: Vec::new(),
        count: 0,
        components: Vec::new(),
    };
    for v in 0..nodes {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.components.sort();
    walk.components
}

/// One shortest round through a component from its first node, back to that node.
fn shortest_cycle(component: &[usize], edges: &BTreeSet<(usize, usize)>) -> Vec<usize> {
    let start = component[0];
    let mut came_from: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(_, w) in edges.range((v, 0)..=(v, usize::MAX)) {
            if !component.contains(&w) || came_from.contains_key(&w) {
                continue;
            }
            came_from.insert(w, v);
            if w == start {
                let mut round = vec![start];
                let mut at = v;
                while at != start {
                    round.push(at);
                    at = came_from[&at];
                }
                round.push(start);
                round.reverse();
                return round;
            }
            queue.push_back(w);
        }
    }
    component.to_vec()
}

// The checker's own tests, on made-up crates.

/// Parses `(path, source)` pairs as the files of a crate.
fn fake(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files.iter().map(|(path, text)| SourceFile::parse(path, text)).collect()
}

/// The files `from` names, sorted by path.
fn named_by(files: &[SourceFile], from: &str) -> Vec<String> {
    let mut named: Vec<String> = references(files)
        .keys()
        .filter(|(f, _)| files[*f].path == from)
        .map(|(_, to)| files[*to].path.clone())
        .collect();
    named.sort();
    named
}

#[test]
fn the_use_tree_walker_expands_braces_renames_globs_and_self() {
    let item: syn::ItemUse =
        syn::parse_str("use crate::{x::{y, z as zed}, w::*, v::{self}, u::{self as you}};")
            .unwrap();
    let paths: Vec<String> = use_paths(&item.tree).into_iter().map(|(p, _)| p.join("::")).collect();
    assert_eq!(paths, ["crate::x::y", "crate::x::z", "crate::w::*", "crate::v", "crate::u"]);
}

#[test]
fn macro_arguments_are_searched_for_paths() {
    let tokens: TokenStream = r#""{}", crate::number::LIMIT, a::b::<T>(x), ::std::f,
        $crate::m::n, self.v, S { f: e::E }"#
        .parse()
        .unwrap();
    let paths: Vec<String> = token_paths(tokens).into_iter().map(|(p, _)| p.join("::")).collect();
    assert_eq!(paths, ["crate::number::LIMIT", "a::b", "e::E"]);
}

#[test]
fn paths_name_the_longest_module_file_they_start_with() {
    let files = fake(&[
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d; pub mod e; pub mod f; pub mod x;"),
        (
            "a.rs",
            "use crate::{b::{self, Thing as T}, c::*};
             pub use crate::d::inner::Deep;
             use std::fmt;
             pub(in crate::x) fn f() -> usize {
                 crate::e::LIMIT + format!(\"{}\", crate::f::NAME).len()
             }
             #[cfg(test)]
             mod tests { use crate::x::Y; }
             #[cfg(all(test, unix))]
             fn only_in_tests() { crate::x::y(); }",
        ),
        ("b.rs", ""),
        ("c.rs", ""),
        ("d/mod.rs", "pub mod inner;"),
        ("d/inner.rs", ""),
        ("e.rs", ""),
        ("f.rs", ""),
        ("x.rs", ""),
    ]);
    assert_eq!(named_by(&files, "a.rs"), ["b.rs", "c.rs", "d/inner.rs", "e.rs", "f.rs"]);
}

#[test]
fn super_self_child_and_inline_module_paths_are_resolved() {
    let files = fake(&[
        ("lib.rs", "pub mod report;"),
        ("report/mod.rs", "mod sub; mod grid; mod xlsx; pub use sub::leaf::Leaf;"),
        (
            "report/grid.rs",
            "use super::{Lang, figure};
             fn f(x: &super::xlsx::Book) { self::g(); }
             mod inner { use super::super::sub::Sub; }",
        ),
        ("report/xlsx.rs", ""),
        ("report/sub/mod.rs", "pub mod leaf;"),
        ("report/sub/leaf.rs", "pub(super) fn g() { super::super::xlsx::h() }"),
    ]);
    assert_eq!(named_by(&files, "report/mod.rs"), ["report/sub/leaf.rs"]);
    assert_eq!(
        named_by(&files, "report/grid.rs"),
        ["report/mod.rs", "report/sub/mod.rs", "report/xlsx.rs"]
    );
    assert_eq!(named_by(&files, "report/sub/leaf.rs"), ["report/xlsx.rs"]);
}

#[test]
fn a_three_file_cycle_is_found_but_parents_children_and_tests_are_not() {
    let files = fake(&[
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod p; pub mod t; pub mod u;"),
        ("a.rs", "use crate::b::B;"),
        ("b.rs", "fn f() -> crate::c::C { todo!() }"),
        ("c.rs", "pub use crate::a::*;"),
        ("p/mod.rs", "mod q; pub use q::Q; pub struct P;"),
        ("p/q.rs", "use super::P; pub struct Q;"),
        ("t.rs", "#[cfg(test)] mod tests { use crate::u::U; }"),
        ("u.rs", "use crate::t::T;"),
    ]);
    let problems = cycle_problems(&files);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with("cycle of 3 files: a.rs → b.rs → c.rs → a.rs"),
        "{}",
        problems[0]
    );
    assert!(problems[0].contains("src/c.rs:1 names a.rs (crate::a::*)"), "{}", problems[0]);
}

#[test]
fn tarjan_finds_every_component() {
    let edges = BTreeSet::from([(0, 1), (1, 0), (1, 2), (2, 3), (3, 4), (4, 2), (5, 5)]);
    assert_eq!(strongly_connected(6, &edges), [vec![0, 1], vec![2, 3, 4], vec![5]]);
    assert_eq!(shortest_cycle(&[2, 3, 4], &edges), [2, 3, 4, 2]);
}

#[test]
fn layers_report_unplaced_modules_and_names_up_the_table() {
    let files = fake(&[
        ("lib.rs", "pub mod cmd; pub mod model; pub mod read; pub mod diagnostic; pub mod stack;"),
        ("main.rs", "fn main() { parindex::main() }"),
        ("cmd/mod.rs", "use crate::{read::Table, model::Kind, diagnostic::D};"),
        ("read/mod.rs", "use crate::cmd::Run; use crate::model::Kind;"),
        ("model/mod.rs", "use crate::diagnostic::D; use crate::stack::S;"),
        ("diagnostic.rs", "use crate::model::Kind; #[cfg(test)] mod tests { use crate::cmd::X; }"),
        ("stack.rs", "use crate::cmd::Run;"),
    ]);
    assert_eq!(
        layer_problems(&files),
        [
            "top-level module `stack` has no layer (stack.rs): add it to the layer table",
            "src/read/mod.rs:1 (read 2) names cmd/mod.rs (cmd 5): crate::cmd::Run",
            "src/diagnostic.rs:1 (diagnostic 0) names model/mod.rs (model 1): crate::model::Kind",
        ]
    );
}

#[test]
fn clap_parser_outside_cli_and_cmd_is_reported_but_value_enum_is_not() {
    let files = fake(&[
        ("main.rs", "fn main() { parindex::main() }"),
        ("cli.rs", "use clap::{Parser, Subcommand};"),
        ("cmd/run.rs", "#[derive(clap::Args)] struct A { #[arg(long)] x: bool }"),
        (
            "model/kind.rs",
            "use clap::ValueEnum;
             #[derive(Clone, clap::ValueEnum, serde::Deserialize)]
             #[value(rename_all = \"lower\")]
             enum Kind { #[value(name = \"self\")] Own }",
        ),
        (
            "model/bad.rs",
            "use clap::{Args, ValueEnum};
             #[derive(clap::Parser)]
             struct P { #[arg(long)] x: bool }
             fn f() { let _ = clap::Command::new(\"x\"); }
             #[cfg(test)]
             mod tests { use clap::*; }",
        ),
    ]);
    assert_eq!(
        clap_problems(&files),
        [
            "src/model/bad.rs:1 names clap::Args",
            "src/model/bad.rs:2 names clap::Parser",
            "src/model/bad.rs:3 names #[arg(…)] (clap's parser)",
            "src/model/bad.rs:4 names clap::Command::new",
            "src/model/bad.rs:6 names clap::*",
        ]
    );
}

#[test]
fn every_top_level_module_has_one_layer() {
    let tops: BTreeSet<&str> = LAYERS.iter().map(|(top, _)| *top).collect();
    assert_eq!(tops.len(), LAYERS.len(), "a module is in the layer table twice");
    assert!(LAYERS.windows(2).all(|w| w[0].1 >= w[1].1), "the table goes from the top layer down");
}
