//! The engine: a checked plan → view → template → document markup → [`Document`] → DOCX, or laid-out
//! pages → PDF or SVG.

use crate::compose::template::Templates;
use crate::compose::{inline, markup, view};
use crate::document::{Document, Meta};
use crate::error::Error;
use crate::export::pdf::{PdfOptions, SignBoxes};
use crate::export::{docx, pdf, svg};
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
            date: p.ngay.as_ref().and_then(|d| Some((d.nam, d.thang?, d.ngay?))),
        };
        markup::read_with(&self.markup(plan)?, plan.profile(), meta, p.in_hai_mat.unwrap_or(true))
    }

    /// The DOCX of `plan`.
    pub fn docx(&self, plan: &CheckedPlan) -> Result<Vec<u8>, Error> {
        docx::write(&self.document(plan)?, self.fonts)
    }

    /// The laid-out pages, numbered.
    pub fn pages(&self, plan: &CheckedPlan) -> Result<Vec<Page>, Error> {
        Ok(layout::pages(&self.document(plan)?, self.fonts))
    }

    /// The PDF of `plan`, laid out by the engine with the same lines and page breaks as the DOCX.
    pub fn pdf(&self, plan: &CheckedPlan) -> Result<Vec<u8>, Error> {
        pdf::render(&self.document(plan)?, self.fonts)
    }

    /// The pages of `plan`, laid out as for the PDF, each as a standalone SVG document (text as
    /// text, its fonts embedded).
    pub fn svg(&self, plan: &CheckedPlan) -> Result<Vec<String>, Error> {
        svg::render(&self.document(plan)?, self.fonts)
    }

    /// The SVG pages of one part of `plan` alone (see [`Engine::render_part`]).
    pub fn svg_part(&self, plan: &CheckedPlan, part: Part) -> Result<Vec<String>, Error> {
        let doc = self.document(plan)?;
        let n = match part {
            Part::KeHoach => 0,
            Part::PhuLuc(i) => i + 1,
        };
        let doc = doc.part(n).ok_or_else(|| Error::input(format!("kế hoạch không có phụ lục thứ {n}")))?;
        svg::render(&doc, self.fonts)
    }

    /// Both, from one document.
    pub fn docx_and_pdf(&self, plan: &CheckedPlan) -> Result<(Vec<u8>, Vec<u8>), Error> {
        let doc = self.document(plan)?;
        Ok((docx::write(&doc, self.fonts)?, pdf::render(&doc, self.fonts)?))
    }

    /// The PDF of `plan` with `opts`: an empty signature field, PDF/A-1b. With the default options
    /// it is [`Engine::pdf`]'s, byte for byte.
    pub fn pdf_with(&self, plan: &CheckedPlan, opts: &PdfOptions) -> Result<Vec<u8>, Error> {
        Ok(self.render(plan, &Outputs { pdf: Some(*opts), ..Outputs::default() })?.pdf.unwrap_or_default())
    }

    /// Where the signature, the seal, the số and the date are on the PDF of `plan`.
    pub fn sign_boxes(&self, plan: &CheckedPlan) -> Result<SignBoxes, Error> {
        let r = self.render(plan, &Outputs { sign_boxes: true, ..Outputs::default() })?;
        Ok(r.sign_boxes.expect("asked for"))
    }

    /// What `want` asks for, from one document and one layout.
    pub fn render(&self, plan: &CheckedPlan, want: &Outputs) -> Result<Rendered, Error> {
        self.render_doc(&self.document(plan)?, want)
    }

    /// What `want` asks for, of one part of `plan` alone (`--phu-luc rieng`): the plan without its
    /// phụ lục, or one phụ lục as a file of its own (its pages numbered from 1 as in the whole).
    /// The signing boxes are those of the plan's signature, so they are only in [`Part::KeHoach`].
    pub fn render_part(&self, plan: &CheckedPlan, part: Part, want: &Outputs) -> Result<Rendered, Error> {
        let doc = self.document(plan)?;
        let n = match part {
            Part::KeHoach => 0,
            Part::PhuLuc(i) => i + 1,
        };
        let Some(doc) = doc.part(n) else {
            return Err(Error::input(format!("kế hoạch không có phụ lục thứ {n} (phu_luc chỉ có {} phụ lục)", doc.parts() - 1)));
        };
        if n > 0 && (want.sign_boxes || want.pdf.is_some_and(|o| o.signature_field)) {
            return Err(Error::input("vị trí ký và ô chữ ký số (--sign-boxes, --signature-field) chỉ có ở phần kế hoạch, không có ở phụ lục"));
        }
        self.render_doc(&doc, want)
    }

    fn render_doc(&self, doc: &Document, want: &Outputs) -> Result<Rendered, Error> {
        let docx = if want.docx { Some(docx::write(doc, self.fonts)?) } else { None };
        let (pdf, sign_boxes) = match (want.pdf, want.sign_boxes) {
            (Some(opts), boxes) => {
                let pages = layout::pages(doc, self.fonts);
                let (bytes, boxes) = pdf::write_with(doc, &pages, self.fonts, pdf::write::Tuning::Smallest, &opts, boxes)?;
                (Some(bytes), boxes)
            }
            (None, true) => (None, Some(pdf::sign::sign_boxes(doc, &layout::pages(doc, self.fonts), self.fonts)?)),
            (None, false) => (None, None),
        };
        Ok(Rendered { docx, pdf, sign_boxes })
    }
}

/// A part of a plan rendered on its own ([`Engine::render_part`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The plan without its phụ lục.
    KeHoach,
    /// Its phụ lục at this index of `phu_luc` (from 0).
    PhuLuc(usize),
}

/// What [`Engine::render`] makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
    /// The DOCX.
    pub docx: bool,
    /// The PDF, with these options.
    pub pdf: Option<PdfOptions>,
    /// The signing boxes of the PDF ([`SignBoxes`]), whether or not the PDF itself is wanted.
    pub sign_boxes: bool,
}

/// What [`Engine::render`] made.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// The DOCX, if asked for.
    pub docx: Option<Vec<u8>>,
    /// The PDF, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// The signing boxes, if asked for.
    pub sign_boxes: Option<SignBoxes>,
}
