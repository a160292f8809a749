"""Psychoeducation pages as data: short, in our own words, each with its sources.

Every fact here comes from a source in docs/references.md; each page lists its sources as
`[ref:KEY]` citations (the page shows their short labels), and says plainly where the
evidence is thin. A test walks every page and checks it has sections, sources and a review date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REVIEWED: Final = date(2026, 11, 27)

Text = str | Promise


@dataclass(frozen=True)
class Section:
    heading: Text
    paragraphs: tuple[Text, ...]


@dataclass(frozen=True)
class Link:
    text: Text
    url: str


@dataclass(frozen=True)
class Page:
    slug: str
    title: Text
    summary: Text
    sections: tuple[Section, ...]
    sources: tuple[str, ...]
    caveat: Text = ""
    links: tuple[Link, ...] = ()
    reviewed: date = REVIEWED


PAGES: Final[tuple[Page, ...]] = (
    Page(
        slug="withdrawal-timeline",
        title=_("How long withdrawal lasts"),
        summary=_("What is known, and not known, about when symptoms start, peak and fade."),
        caveat=_(
            "The timeline figures on this page are not evidence-based. No peer-reviewed study "
            "has measured when kratom withdrawal starts, peaks and ends. The numbers below come "
            "from treatment-centre and industry websites, and the app uses them only as "
            "adjustable estimates."
        ),
        sections=(
            Section(_("What the research can say"), (
                _("Mitragynine, the main active substance in kratom, stays in the body for a "
                  "long time: half of it is gone after roughly one to two days. Clearing most "
                  "of it takes several days. That fits one carefully observed case in which "
                  "withdrawal lasted about ten days after the last dose."),
                _("Withdrawal tends to be stronger for people who take kratom many times a day "
                  "than for people who take large amounts less often. Case reports describe "
                  "much more severe withdrawal from concentrated 7-OH products than from leaf."),
            )),
            Section(_("The usual estimates (not evidence-based)"), (
                _("Symptoms often start somewhere between 6 and 24 hours after the last dose."),
                _("They are often at their strongest between day 1 and day 3."),
                _("The physical symptoms usually ease by day 5 to 10, sometimes up to two "
                  "weeks."),
                _("Low mood, poor sleep, tiredness and cravings can go on for weeks or months "
                  "after that."),
            )),
            Section(_("What this means for you"), (
                _("Your own course may be shorter or longer. The daily check-in lets the app "
                  "compare how you actually feel with the estimate, and your care team sees it "
                  "if symptoms are worse or last longer than expected."),
            )),
        ),
        sources=(
            "[ref:timeline-blogs]: no peer-reviewed onset/peak/duration curve; blog figures "
            "(onset 6–24 h, peak days 1–3, acute phase over by day 5–10, weeks of "
            "psychological symptoms) are not evidence-based",
            "[ref:trakulsrichai2015] (mitragynine half-life ~23 h); [ref:tanna2022] (median "
            "45 h; 7-OH ~5.7 h)",
            "[ref:boyer2008] (withdrawal ~10 days)",
            "[ref:rogers2024] "
            "(dose frequency matters more than amount)",
            "[ref:sharma2025] [ref:smith-7oh-commentary] (7-OH products and severe withdrawal)",
        ),
    ),
    Page(
        slug="symptoms",
        title=_("Physical and psychological symptoms"),
        summary=_("The symptoms people describe when they stop, and which ones need a "
                  "clinician."),
        sections=(
            Section(_("Physical symptoms"), (
                _("People describe muscle aches and spasms, trouble sleeping, watery eyes and a "
                  "runny nose, hot flashes, fever, loss of appetite, stomach upset and "
                  "diarrhoea. Many of these resemble a milder opioid withdrawal."),
            )),
            Section(_("Psychological symptoms"), (
                _("Restlessness, tension, irritability or anger, sadness, nervousness and "
                  "strong cravings are common. In one study most people had only mild anxiety "
                  "or low mood while stopping, but some had more."),
            )),
            Section(_("How strong it usually is"), (
                _("In a large US study, withdrawal was on average mild to moderate. People who "
                  "used more often, or for longer, tended to have stronger symptoms."),
            )),
            Section(_("When to get help"), (
                _("Call your clinician if you cannot keep fluids down, if symptoms are much "
                  "worse than expected or are not easing, or if you have used 7-OH products, "
                  "other opioids, sedatives or alcohol as well."),
                _("Chest pain, fainting, a seizure, confusion or trouble breathing need "
                  "emergency care: call 911. If you have thoughts of harming yourself, call or "
                  "text 988."),
            )),
        ),
        sources=(
            "[ref:singh2014] "
            "(physical and psychological withdrawal symptoms, n=293)",
            "[ref:boyer2008] (less intense than with prescription opioids) [V-2nd]; "
            "[ref:swogger-walsh2018] (mild relative to opioids for many)",
            "[ref:singh2018] (mostly mild "
            "anxiety and depression on cessation)",
            "[ref:rogers2024] (mean SOWS 13.5, mild to moderate); "
            "[ref:smith2022-frontiers] (longer use, more severe effects)",
            "[ref:sharma2025] (7-OH), [ref:fda-kratom-warning] (mixing with other substances), "
            "[ref:988-lifeline]",
        ),
    ),
    Page(
        slug="use-disorder",
        title=_("When use becomes a disorder"),
        summary=_("Dependence, use disorder and why they are not the same thing."),
        sections=(
            Section(_("Dependence"), (
                _("Anyone who takes kratom regularly can become physically dependent: the body "
                  "gets used to it and protests when it stops. That is withdrawal, and on its "
                  "own it does not mean addiction."),
            )),
            Section(_("Use disorder"), (
                _("Clinicians describe a use disorder by looking at the past year: using more "
                  "or for longer than intended, wanting to cut down and not managing, spending "
                  "a lot of time on it, cravings, letting it crowd out work, family or hobbies, "
                  "and carrying on despite harm. The more of these apply, the more severe the "
                  "disorder is called: mild, moderate or severe."),
                _("How common it is depends on who is asked and how it is counted: about 2 in "
                  "100 people had a moderate or severe use disorder in a large online survey, "
                  "while about a quarter of current users had one of any severity in another."),
            )),
            Section(_("Why it matters"), (
                _("Knowing where you are helps you and your clinician choose how much support "
                  "to plan for. It is a description, not a judgement."),
            )),
        ),
        sources=(
            "[ref:dsm5] (substance use disorder: 11 criteria over 12 months; 2–3 mild, "
            "4–5 moderate, 6 or more severe), paraphrased",
            "[ref:garcia-romeu2020] (2% moderate/severe); [ref:hill2024] "
            "(25.5%); [ref:smith2022] (29.5%)",
        ),
    ),
    Page(
        slug="risks",
        title=_("Risks: products, mixing and 7-OH"),
        summary=_("Why what you take, and what you take it with, matters."),
        sections=(
            Section(_("7-OH products"), (
                _("Tablets, gummies and shots sold as 7-OH (7-hydroxymitragynine) are "
                  "concentrated far beyond leaf. The FDA calls 7-OH up to about 13 times as "
                  "potent as morphine. Case reports describe severe withdrawal needing "
                  "intensive care. If you use these, tell your clinician."),
            )),
            Section(_("Mixing with other substances"), (
                _("Taking kratom with opioids, benzodiazepines, other sedatives or alcohol adds "
                  "to the risks, including seizures and death. Almost all deaths involving "
                  "kratom in a US study also involved other substances."),
                _("Kratom can slow down how the body clears some medicines. Tell your "
                  "clinician and pharmacist what you take."),
                _("Naltrexone can set off sudden withdrawal in someone who uses kratom, so "
                  "mention kratom before starting it."),
            )),
            Section(_("Product quality"), (
                _("Products differ a great deal: extracts and 7-OH products are far more "
                  "concentrated than leaf. 7-OH has no approved medical use, and the FDA says "
                  "selling it in foods or supplements is illegal."),
            )),
            Section(_("If something goes wrong"), (
                _("Poison help line: 1-800-222-1222. Naloxone can reverse an overdose from "
                  "7-OH. In an emergency call 911."),
            )),
        ),
        sources=(
            "[ref:fda-7oh-2025] (7-OH up to ~13× "
            "morphine; illegal in foods and supplements); [ref:sharma2025] "
            "(severe 7-OH withdrawal)",
            "[ref:olsen2019] (kratom-positive overdose "
            "deaths, almost all with other substances); [ref:fda-kratom-warning] (mixing)",
            "[ref:tanna-ddi] [ref:jpet2021-ddi] (CYP3A and CYP2D6; midazolam AUC 1.39×)",
            "[ref:naltrexone-case] (naltrexone precipitated withdrawal)",
            "[ref:fda-7oh-2025] (7-OH concentrated far beyond leaf, no approved use) "
            "[V-2nd]",
            "[ref:poison-help]; [ref:montana-ag-naloxone] (naloxone for 7-OH toxicity) [V-2nd]",
        ),
    ),
    Page(
        slug="treatment",
        title=_("Treatment options"),
        summary=_("Tapering, medicines a clinician may use, withdrawal management, therapy and "
                  "peer support."),
        caveat=_(
            "No published controlled trial has tested a treatment for kratom withdrawal or "
            "kratom use disorder. What follows comes from case reports and from guidance for "
            "opioids."
        ),
        sections=(
            Section(_("Tapering"), (
                _("No study has tested a kratom taper. For prescription opioids, US guidance "
                  "says not to stop suddenly after long use, to cut down slowly, to pause if "
                  "withdrawal is hard, and to check in at least monthly. The taper planner in "
                  "this app uses that as a starting point, with your clinician."),
            )),
            Section(_("Medicines a clinician may use"), (
                _("Buprenorphine (often with naloxone) is the best-described treatment, but "
                  "the evidence is individual case reports only; there are no controlled "
                  "studies. It has to be started carefully, especially after 7-OH products."),
                _("Other medicines have been used for symptoms, such as clonidine with "
                  "hydroxyzine in one case. Only a clinician can decide what suits you."),
            )),
            Section(_("Withdrawal management (detox)"), (
                _("Some people stop with support at home; others need a clinic or a short stay "
                  "where staff can treat symptoms. Heavy or frequent use, other substances and "
                  "health problems are reasons to plan more support."),
            )),
            Section(_("Therapy and peer support"), (
                _("Talking therapy helps with cravings, triggers, mood and building a life that "
                  "does not revolve around kratom. Peer support groups connect you with people "
                  "who have been there. The SAMHSA National Helpline (1-800-662-4357) can point "
                  "you to local services and groups, free and day or night."),
            )),
        ),
        sources=(
            "No controlled trials of kratom tapering; [ref:cdc-opioids-2022] as "
            "the nearest analogue",
            "Buprenorphine evidence is case-level only ([ref:weiss-douglas2021] "
            "[ref:kiyokawa2023]); [ref:smith-epstein-weiss2024] "
            "(no controlled studies)",
            "[ref:galbis-reig2016] (clonidine plus "
            "hydroxyzine); [ref:sharma2025] (precipitated withdrawal with buprenorphine after "
            "7-OH)",
            "[ref:asam4] (level of care); [ref:droracle-summary] (triggers for more support)",
            "[ref:samhsa-helpline]",
            "Therapy and peer support: general guidance; our sources have no kratom-specific "
            "evidence for them",
        ),
    ),
    Page(
        slug="mental-health",
        title=_("Mental health during recovery"),
        summary=_("Low mood and worry are common while stopping, and help is there."),
        sections=(
            Section(_("What to expect"), (
                _("Sadness, irritability, worry and poor sleep are common while stopping, and "
                  "may hang on after the physical symptoms ease. For most people they are "
                  "mild, but they deserve attention."),
                _("Many people first used kratom to manage pain, stress or low mood. Those "
                  "needs are still there when kratom stops, so plan for them with your "
                  "clinician."),
            )),
            Section(_("Keeping an eye on it"), (
                _("The weekly mood and anxiety questionnaires help you and your clinician see "
                  "change over time. The coping tools and exercises in this app can help day "
                  "to day."),
            )),
            Section(_("If you are in crisis"), (
                _("If you have thoughts of harming yourself, call or text 988 (Suicide & "
                  "Crisis Lifeline), or chat at 988lifeline.org, any time. In an emergency, "
                  "call 911."),
            )),
        ),
        sources=(
            "[ref:singh2018] (mostly mild anxiety and depression on cessation); "
            "[ref:singh2014] (psychological withdrawal symptoms)",
            "[ref:grundmann2017] (kratom used for pain and emotional conditions)",
            "[ref:cdc-opioids-2022] (watch mood during a taper)",
            "[ref:kroenke2001] (PHQ-9), [ref:spitzer2006] (GAD-7), [ref:988-lifeline]",
        ),
    ),
    Page(
        slug="legal-status",
        title=_("Legal status"),
        summary=_("Where kratom and 7-OH stand in US law, and why you should check locally."),
        caveat=_(
            "State and local laws change often and we have not verified them. Check your "
            "state's official sources before relying on anything here."
        ),
        sections=(
            Section(_("Federal (US)"), (
                _("In 2016 the DEA announced a plan to put kratom's main substances in "
                  "Schedule I, then withdrew it to ask for public comment. It lists kratom as a "
                  "\"drug of concern\". The FDA issued a public health advisory on kratom in "
                  "2017."),
                _("In July 2025 the FDA recommended that 7-OH be placed in Schedule I and sent "
                  "warning letters to companies selling it. It said natural leaf products are "
                  "not the target. At the time of our sources, the DEA decision was still "
                  "pending."),
            )),
            Section(_("States and cities"), (
                _("Several states and cities ban or restrict kratom or 7-OH, and the list keeps "
                  "changing. We do not keep a list we cannot verify."),
            )),
        ),
        links=(
            Link(_("FDA announcement on 7-OH products (29 July 2025)"),
                 "https://www.fda.gov/news-events/press-announcements/"
                 "fda-takes-steps-restrict-7-oh-opioid-products-threatening-american-consumers"),
        ),
        sources=(
            "[ref:fda-7oh-2025] (7-OH scheduling recommendation, warning letters, leaf "
            "not targeted, DEA rulemaking pending) [V-2nd]; [ref:fda-kratom-warning] (2017 "
            "advisory); "
            "[ref:dea-2016] (notice and withdrawal) [V-2nd]",
            "[ref:state-kratom-laws] (state bans differ and change often; UNVERIFIED)",
        ),
    ),
)

PAGES_BY_SLUG: Final = {page.slug: page for page in PAGES}
