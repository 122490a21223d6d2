//! The pipeline: plan → view → template → document markup → [`Document`] → DOCX, or laid-out
//! pages → PDF or SVG.

use crate::document::{Document, Meta};
use crate::error::Error;
use crate::plan::model::Plan;
use crate::regime::Profile;
use crate::compose::template::Templates;
use crate::fonts::FontSet;
use crate::compose::{inline, markup, view};
use crate::export::{docx, pdf, svg};
use crate::regime::validate;
use std::path::Path;
use tera::Context;

/// Renders plans with one set of templates (built-in, or overridden by a folder).
pub struct Engine {
    templates: Templates,
}

impl Engine {
    pub fn new(template_dir: Option<&Path>) -> Result<Engine, Error> {
        Ok(Engine { templates: Templates::load(template_dir)? })
    }

    /// The template's output for `plan`: the document markup, before it is resolved.
    pub fn markup(&self, plan: &Plan) -> Result<String, Error> {
        validate::check(plan)?;
        let profile = Profile::for_regime(plan.the_thuc);
        let v = view::build(plan, profile)?;
        let mut ctx = Context::new();
        ctx.insert("v", &v);
        ctx.insert("p", profile);
        ctx.insert("plan", plan);
        self.templates.render(&ctx)
    }

    /// The format-neutral document both renderers consume.
    pub fn document(&self, plan: &Plan) -> Result<Document, Error> {
        let profile = Profile::for_regime(plan.the_thuc);
        let markup = self.markup(plan)?;
        let meta = Meta {
            title: inline::plain(&plan.trich_yeu),
            author: plan.co_quan_ban_hanh.joined(),
            subject: "Kế hoạch".into(),
        };
        markup::read(&markup, profile, meta)
    }

    pub fn docx(&self, plan: &Plan) -> Result<Vec<u8>, Error> {
        docx::write(&self.document(plan)?)
    }

    /// The PDF, laid out with `fonts` (the bundled faces unless the office's own are given).
    pub fn pdf(&self, plan: &Plan, fonts: &FontSet) -> Result<Vec<u8>, Error> {
        pdf::render(&self.document(plan)?, fonts)
    }

    /// The pages, laid out with `fonts` as for the PDF, each as a standalone SVG document.
    pub fn svg(&self, plan: &Plan, fonts: &FontSet) -> Result<Vec<String>, Error> {
        svg::render(&self.document(plan)?, fonts)
    }

    /// Both, from one document.
    pub fn docx_and_pdf(&self, plan: &Plan, fonts: &FontSet) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let doc = self.document(plan)?;
        Ok((docx::write(&doc)?, pdf::render(&doc, fonts)?))
    }
}
