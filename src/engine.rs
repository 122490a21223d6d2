//! The engine: a checked plan → view → template → document markup → [`Document`] → DOCX, or laid-out
//! pages → PDF.

use crate::compose::template::Templates;
use crate::compose::{inline, markup, view};
use crate::document::{Document, Meta};
use crate::error::Error;
use crate::export::{docx, pdf};
use crate::fonts::FontSet;
use crate::layout::{self, Page};
use crate::regime::check::CheckedPlan;
use std::path::Path;
use tera::Context;

/// Renders checked plans with one set of templates (built-in, or overridden by a folder) and one
/// set of fonts (the bundled Liberation Serif, or the office's Times New Roman).
pub struct Engine {
    templates: Templates,
    fonts: &'static FontSet,
}

impl Default for Engine {
    /// The built-in templates and the bundled fonts.
    fn default() -> Engine {
        Engine::new(None).expect("the built-in templates load (tested)")
    }
}

impl Engine {
    /// The built-in templates, with the files of `template_dir` (if any) replacing or adding to
    /// them; the bundled fonts.
    pub fn new(template_dir: Option<&Path>) -> Result<Engine, Error> {
        Ok(Engine { templates: Templates::load(template_dir)?, fonts: FontSet::bundled() })
    }

    /// The same engine measuring and embedding `fonts` (see [`FontSet::from_dir`]).
    pub fn with_fonts(self, fonts: &'static FontSet) -> Engine {
        Engine { fonts, ..self }
    }

    /// The fonts it measures and embeds.
    pub fn fonts(&self) -> &'static FontSet {
        self.fonts
    }

    /// The template's output for `plan`: the document markup, before it is resolved.
    pub fn markup(&self, plan: &CheckedPlan) -> Result<String, Error> {
        let profile = plan.profile();
        let v = view::build(plan.plan(), profile, plan.numbering());
        let mut ctx = Context::new();
        ctx.insert("v", &v);
        ctx.insert("p", profile);
        ctx.insert("plan", plan.plan());
        self.templates.render(&ctx)
    }

    /// The format-neutral document every output is made from.
    pub fn document(&self, plan: &CheckedPlan) -> Result<Document, Error> {
        let p = plan.plan();
        let meta = Meta {
            title: inline::plain(crate::regime::vn::strip_trich_yeu_end(&p.trich_yeu)),
            author: p.co_quan_ban_hanh.joined(),
            subject: "Kế hoạch".into(),
        };
        markup::read(&self.markup(plan)?, plan.profile(), meta)
    }

    /// The DOCX of `plan`.
    pub fn docx(&self, plan: &CheckedPlan) -> Result<Vec<u8>, Error> {
        docx::write(&self.document(plan)?)
    }

    /// The laid-out pages, numbered.
    pub fn pages(&self, plan: &CheckedPlan) -> Result<Vec<Page>, Error> {
        Ok(layout::pages(&self.document(plan)?, self.fonts))
    }

    /// The PDF of `plan`, laid out by the engine with the same lines and page breaks as the DOCX.
    pub fn pdf(&self, plan: &CheckedPlan) -> Result<Vec<u8>, Error> {
        pdf::render(&self.document(plan)?, self.fonts)
    }

    /// Both, from one document.
    pub fn docx_and_pdf(&self, plan: &CheckedPlan) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let doc = self.document(plan)?;
        Ok((docx::write(&doc)?, pdf::render(&doc, self.fonts)?))
    }
}
