//! The one gate between a plan and its outputs: the rules of thể thức. A [`CheckedPlan`] can only
//! be made by [`Plan::check`] when the rules found no error; every output takes one, so nothing can
//! render a plan the checks refuse. The warnings and notes travel with it.

use crate::plan::Plan;
use crate::regime::numbering::Numbering;
use crate::regime::rules::{self, Finding, MucDo};
use crate::regime::Profile;
use crate::report;

pub use crate::regime::rules::Options as CheckOptions;

/// A plan the rules of its regime accept, with its item numbers and what the rules noted.
#[derive(Clone, Debug)]
pub struct CheckedPlan {
    plan: Plan,
    numbering: Numbering,
    findings: Vec<Finding>,
}

impl CheckedPlan {
    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The warnings and notes of the rules (there are no errors).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The profile of its regime.
    pub fn profile(&self) -> &'static Profile {
        Profile::for_regime(self.plan.the_thuc)
    }

    pub(crate) fn numbering(&self) -> &Numbering {
        &self.numbering
    }
}

/// The rules found errors: nothing may be rendered. Holds every finding (errors first in
/// [`Rejected::errors`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// Every finding, errors and the rest, in document order.
    pub findings: Vec<Finding>,
}

impl Rejected {
    /// The findings that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.muc_do == MucDo::Loi)
    }
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "kế hoạch có {} về thể thức, chưa xuất được", report::summary(&self.findings))?;
        for line in report::lines(&self.findings).iter().filter(|l| l.starts_with("Lỗi")) {
            write!(f, "\n  {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejected {}

impl Plan {
    /// Checks the plan by the rules of its regime, as of today in Việt Nam.
    pub fn check(self) -> Result<CheckedPlan, Rejected> {
        self.check_with(&CheckOptions::now())
    }

    /// Checks the plan as of the day `opts` gives (tests fix it).
    pub fn check_with(self, opts: &CheckOptions) -> Result<CheckedPlan, Rejected> {
        let numbering = Numbering::new(&self, Profile::for_regime(self.the_thuc));
        let findings = rules::check(&self, &numbering, opts);
        if rules::has_errors(&findings) {
            return Err(Rejected { findings });
        }
        Ok(CheckedPlan { plan: self, numbering, findings })
    }

    /// Every finding of the rules, errors included, without rendering anything (`kehoach check`).
    pub fn findings(&self, opts: &CheckOptions) -> Vec<Finding> {
        let numbering = Numbering::new(self, Profile::for_regime(self.the_thuc));
        rules::check(self, &numbering, opts)
    }
}
