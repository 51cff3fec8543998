"""
The codelists of the standard, as data.

This module is the single source of every codelist: the model's validators, the
generated JSON Schemas (``enum`` for closed lists) and the published files under
``schemas/codelists/`` all come from here.

A *closed* codelist admits only its codes.
An *open* codelist recommends its codes, and a publisher may use others
(the schema then accepts any non-empty string and the codelist is advisory).
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen


@frozen(kw_only=True)
class Code:
    """One code of a codelist."""

    code: str
    title: str
    description: str


@frozen(kw_only=True)
class Codelist:
    """A named list of codes, open or closed."""

    name: str
    title: str
    description: str
    open: bool
    codes: tuple[Code, ...]

    @property
    def values(self) -> frozenset[str]:
        """The set of codes."""
        return frozenset(code.code for code in self.codes)


def _codelist(name: str, title: str, description: str, *, open: bool, codes: list[tuple[str, str, str]]) -> Codelist:
    return Codelist(
        name=name,
        title=title,
        description=description,
        open=open,
        codes=tuple(Code(code=c, title=t, description=d) for c, t, d in codes),
    )


_ALL = (
    _codelist(
        "sharing-levels",
        "Sharing levels",
        "What kind of data a package may hold, and so who may see it.",
        open=False,
        codes=[
            ("public", "Public", "For open publication. No person-level evidence is allowed."),
            ("partners", "Partners", "Shared between the partners of a partnership under a data sharing agreement. "
             "Pseudonymous person-level evidence is allowed."),
            ("personal", "Personal", "Holds person-level evidence for the purposes of support and the person's own "
             "outcomes story; handled as personal data."),
        ],
    ),
    _codelist(
        "sectors",
        "Sectors",
        "The sector an organisation belongs to.",
        open=False,
        codes=[
            ("public", "Public sector", "Councils, NHS bodies, integration authorities, government."),
            ("third", "Third sector", "Charities, voluntary organisations, social enterprises, third sector interfaces."),
            ("private", "Private sector", "Companies trading for profit, including independent care providers."),
            ("community", "Community", "Unincorporated community groups and networks."),
            ("academic", "Academic", "Universities and research institutes."),
        ],
    ),
    _codelist(
        "organisation-kinds",
        "Organisation kinds",
        "What kind of organisation this is. Open: use another plain, lower-case, hyphenated word where none fits.",
        open=True,
        codes=[
            ("charity", "Charity", "A registered charity or SCIO."),
            ("social-enterprise", "Social enterprise", "A business trading for a social purpose."),
            ("community-group", "Community group", "An unincorporated community or self-help group."),
            ("tsi", "Third sector interface", "A Scottish third sector interface for a local authority area."),
            ("hscp", "Health and social care partnership", "A health and social care partnership."),
            ("ijb", "Integration joint board", "An integration joint board (integration authority)."),
            ("council", "Council", "A local authority."),
            ("nhs-board", "NHS board", "An NHS territorial or special health board, or an NHS trust."),
            ("gp-practice", "GP practice", "A general practice."),
            ("pcn", "Primary care network", "A primary care network (England)."),
            ("icb", "Integrated care board", "An integrated care board (England)."),
            ("housing-association", "Housing association", "A registered social landlord."),
            ("funder", "Funder", "A trust, foundation or other grant maker."),
            ("government", "Government", "A government department or agency."),
            ("university", "University", "A university or research institute."),
            ("other", "Other", "None of the above."),
        ],
    ),
    _codelist(
        "activity-kinds",
        "Activity kinds",
        "What kind of activity this is.",
        open=True,
        codes=[
            ("project", "Project", "Time-limited work, often grant funded."),
            ("service", "Service", "An ongoing service to people."),
            ("programme", "Programme", "A group of projects or services with a shared purpose."),
            ("intervention", "Intervention", "A defined intervention delivered within a service."),
        ],
    ),
    _codelist(
        "participant-roles",
        "Participant roles",
        "The role an organisation plays in an activity.",
        open=False,
        codes=[
            ("lead", "Lead", "Leads and is accountable for the activity."),
            ("partner", "Partner", "Delivers part of the activity with the lead."),
            ("funder", "Funder", "Funds the activity."),
            ("commissioner", "Commissioner", "Commissions the activity."),
            ("referrer", "Referrer", "Refers people to the activity."),
        ],
    ),
    _codelist(
        "outcome-levels",
        "Outcome levels",
        "At which level an outcome is expected to happen.",
        open=False,
        codes=[
            ("person", "Person", "A change for individual people (a personal outcome)."),
            ("community", "Community", "A change for a community or group."),
            ("service", "Service", "A change in a service or how it is delivered."),
            ("organisation", "Organisation", "A change in an organisation."),
            ("system", "System", "A change in the system of services, partnerships or policy."),
            ("population", "Population", "A change in the health or wellbeing of a whole population."),
        ],
    ),
    _codelist(
        "mapping-relations",
        "Mapping relations",
        "How an outcome relates to an outcome in another framework, as SKOS mapping relations "
        "(https://www.w3.org/TR/skos-reference/#mapping).",
        open=False,
        codes=[
            ("exact", "Exact match", "skos:exactMatch: the two can be used interchangeably."),
            ("close", "Close match", "skos:closeMatch: similar enough to be used interchangeably in some contexts."),
            ("broad", "Broad match", "skos:broadMatch: the target is broader than this outcome."),
            ("narrow", "Narrow match", "skos:narrowMatch: the target is narrower than this outcome."),
            ("related", "Related match", "skos:relatedMatch: associated, neither broader nor narrower."),
        ],
    ),
    _codelist(
        "indicator-directions",
        "Indicator directions",
        "Which direction of change in an indicator counts as improvement.",
        open=False,
        codes=[
            ("higher-is-better", "Higher is better", "An increase is an improvement."),
            ("lower-is-better", "Lower is better", "A decrease is an improvement."),
            ("neither", "Neither", "Neither direction is better in itself (for example a count of referrals)."),
        ],
    ),
    _codelist(
        "aggregation-semantics",
        "Aggregation semantics",
        "What a value of an indicator for a period means, and so how values may be added up.",
        open=False,
        codes=[
            ("per-period", "Per period", "The value counts what happened within its period; values for "
             "consecutive periods add up."),
            ("cumulative", "Cumulative to date", "The value is the running total from the start of reporting to "
             "the end of its period; never add cumulative values, take the latest."),
            ("snapshot", "Snapshot", "The value is the state at a point in time (for example people on the caseload "
             "on 31 March); never add snapshots over time."),
        ],
    ),
    _codelist(
        "contribution-roles",
        "Contribution roles",
        "How an organisation contributes to an outcome.",
        open=True,
        codes=[
            ("direct", "Direct delivery", "Delivers the support that brings about the change."),
            ("enabling", "Enabling", "Creates the conditions (referrals, premises, training, infrastructure)."),
            ("funding", "Funding", "Funds the activity that contributes."),
            ("commissioning", "Commissioning", "Plans and commissions the activity that contributes."),
            ("coordinating", "Coordinating", "Coordinates partners around the outcome."),
            ("influencing", "Influencing", "Changes policy, practice or attitudes of others."),
        ],
    ),
    _codelist(
        "pathway-stages",
        "Pathway stages",
        "The step of a theory of change (results chain) at which a contribution acts, after the contribution "
        "analysis headings used in Scotland (activities, engagement, reactions, learning, behaviour, outcomes).",
        open=False,
        codes=[
            ("activities", "Activities", "What is done, and with whom."),
            ("engagement", "Engagement and reach", "Who takes part, and how many."),
            ("reactions", "Reactions", "How people feel about the support."),
            ("learning", "Learning", "What people learn: knowledge, skills, confidence."),
            ("behaviour", "Behaviour and practice", "What people do differently."),
            ("outcomes", "Final outcomes", "The difference made to people's lives, services or populations."),
        ],
    ),
    _codelist(
        "evidence-kinds",
        "Evidence kinds",
        "What kind of evidence this is.",
        open=False,
        codes=[
            ("measurement", "Measurement", "A measurement on a validated scale (for example WEMWBS)."),
            ("assessment", "Assessment", "A structured assessment of a person by them and a worker (for example an "
             "Outcomes Star reading)."),
            ("survey", "Survey", "Answers to a questionnaire."),
            ("count", "Count", "A count of people, contacts or things."),
            ("case-study", "Case study", "A narrative account of one person's or group's journey."),
            ("quote", "Quote", "Words of a person, as they said them."),
            ("observation", "Observation", "Something a worker or evaluator observed."),
            ("document", "Document", "A report, evaluation or other document."),
            ("statistic", "Statistic", "A published statistic, such as a national indicator."),
        ],
    ),
    _codelist(
        "subject-types",
        "Subject types",
        "Who or what the evidence is about.",
        open=False,
        codes=[
            ("person", "Person", "One person, by a pseudonymous identifier only. Person-level data."),
            ("cohort", "Cohort", "A group of people, with its size."),
            ("population", "Population", "The population of an area."),
            ("service", "Service", "A service or activity."),
            ("organisation", "Organisation", "An organisation."),
        ],
    ),
    _codelist(
        "evidence-levels",
        "Evidence levels",
        "Nesta Standards of Evidence (Puttick and Ludlow, 2013).",
        open=False,
        codes=[
            ("1", "Account of impact", "Can say what you do and why it matters, logically and coherently."),
            ("2", "Correlation", "Data show some change among users, but not causality."),
            ("3", "Causation", "Evidence that the intervention causes the impact, with a comparison group."),
            ("4", "Independent replication", "Impact validated independently, delivered at reasonable cost."),
            ("5", "Scaled", "Can be operated by someone else, somewhere else, at scale, still with positive impact."),
        ],
    ),
    _codelist(
        "consent",
        "Consent",
        "Whether the person the evidence is about consented to its use.",
        open=False,
        codes=[
            ("given", "Given", "Consent to use and share was given."),
            ("given-anonymised", "Given if anonymised", "Consent was given for anonymised use only."),
            ("refused", "Refused", "Consent was refused: do not publish or share."),
            ("not-required", "Not required", "No consent is needed (for example aggregate counts)."),
            ("unknown", "Unknown", "Not recorded."),
        ],
    ),
    _codelist(
        "sensitivity",
        "Sensitivity",
        "How sensitive the evidence is.",
        open=False,
        codes=[
            ("open", "Open", "May be published."),
            ("internal", "Internal", "For the partners only."),
            ("personal", "Personal", "Personal data."),
            ("special-category", "Special category", "Special category personal data (for example health)."),
        ],
    ),
    _codelist(
        "evidence-purposes",
        "Evidence purposes",
        "Why the evidence was gathered (after Human Learning Systems: measures used to learn, not only to account).",
        open=False,
        codes=[
            ("learning", "Learning", "Gathered to learn and improve."),
            ("accountability", "Accountability", "Gathered to account to a funder or commissioner."),
            ("both", "Both", "Gathered for learning and accountability."),
        ],
    ),
    _codelist(
        "link-target-types",
        "Link target types",
        "What an evidence link points at.",
        open=False,
        codes=[
            ("contribution", "Contribution", "A contribution in the package."),
            ("outcome", "Outcome", "An outcome in the package."),
            ("indicator", "Indicator", "An indicator in the package."),
        ],
    ),
    _codelist(
        "link-relations",
        "Link relations",
        "How the evidence bears on its target.",
        open=False,
        codes=[
            ("supports", "Supports", "The evidence supports the claim."),
            ("challenges", "Challenges", "The evidence challenges or contradicts the claim."),
            ("contextualises", "Contextualises", "The evidence gives context (for example external factors)."),
            ("illustrates", "Illustrates", "The evidence illustrates the claim (for example a case study or quote)."),
        ],
    ),
    _codelist(
        "link-strengths",
        "Link strengths",
        "How strongly the evidence bears on its target, as judged by whoever asserted the link.",
        open=False,
        codes=[
            ("weak", "Weak", "Plausible, but the evidence is thin or indirect."),
            ("moderate", "Moderate", "Reasonable evidence, with some gaps."),
            ("strong", "Strong", "Good, direct evidence from more than one source or method."),
        ],
    ),
    _codelist(
        "org-id-prefixes",
        "Organisation identifier prefixes",
        "Registers recognised as org-id prefixes (https://org-id.guide). Open: an unrecognised prefix is a warning.",
        open=True,
        codes=[
            ("GB-SC", "Scottish Charity Register (OSCR)", "Scottish charity numbers, for example GB-SC-SC012345."),
            ("GB-CHC", "Charity Commission for England and Wales", "Registered charity numbers."),
            ("GB-NIC", "Charity Commission for Northern Ireland", "Northern Ireland charity numbers."),
            ("GB-COH", "Companies House", "Company numbers, for example GB-COH-SC123456."),
            ("GB-MPR", "Mutuals Public Register", "Co-operatives and community benefit societies."),
            ("GB-GOV", "UK government departments", "Government departments and agencies."),
            ("GB-LAS", "Local authorities in Scotland", "Scottish council codes, for example GB-LAS-NAY."),
            ("GB-LAE", "Local authorities in England", "English council codes."),
            ("GB-PLA", "Principal local authorities in Wales", "Welsh council codes."),
            ("GB-LANI", "Local authorities in Northern Ireland", "Northern Irish council codes."),
            ("GB-NHS", "NHS organisation data service", "NHS organisation codes (ODS), including HSCPs and boards."),
            ("GB-SHPE", "Social housing providers in England", "Registered providers of social housing."),
            ("GB-UKPRN", "UK Register of Learning Providers", "Learning provider numbers."),
            ("GB-EDU", "Educational establishments (England and Wales)", "School URNs."),
            ("GB-SCOTEDU", "Scottish schools", "Scottish school seed codes."),
            ("XI-GRID", "Global Research Identifier Database", "Research organisations."),
            ("XI-ROR", "Research Organization Registry", "Research organisations."),
            ("360G", "360Giving local identifier", "An organisation without a registered number, as 360Giving "
             "publishers identify it."),
        ],
    ),
    _codelist(
        "framework-statuses",
        "Framework statuses",
        "The status of an outcome framework published as reference data (schema frameworks/framework).",
        open=False,
        codes=[
            ("current", "Current", "In force."),
            ("proposed", "Proposed", "Published but not yet in force."),
            ("superseded", "Superseded", "Replaced by a later version."),
            ("local", "Local", "Defined by a partnership or organisation, not nationally."),
        ],
    ),
    _codelist(
        "crosswalk-statuses",
        "Crosswalk statuses",
        "Who stands behind a crosswalk between frameworks (schema crosswalks/crosswalk).",
        open=False,
        codes=[
            ("default", "Editable default", "Shipped with sharedoutcomes as a starting point; not official."),
            ("official", "Official", "Published by the owner of the frameworks."),
            ("local", "Local", "Agreed by a partnership."),
        ],
    ),
    _codelist(
        "problem-severities",
        "Problem severities",
        "How serious a problem recorded in a package's `conversion` block was (new in standard 0.2).",
        open=False,
        codes=[
            ("error", "Error", "The value it concerns could not be read; it is missing from the package."),
            ("warning", "Warning", "The value was read, but something about it needs a person's attention."),
        ],
    ),
)

CODELISTS: Mapping[str, Codelist] = {codelist.name: codelist for codelist in _ALL}
"""Every codelist of the standard, by name."""


def values(name: str) -> frozenset[str]:
    """The codes of the codelist *name*."""
    return CODELISTS[name].values
