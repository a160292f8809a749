"""Citation keys and their short labels, so screens can show a readable source.

Code, docs and screen text cite a source as `[ref:KEY]`; docs/references.md holds the full
entry for each key (authors, journal, status, what we take from it). This table gives the
short label a screen shows in place of the marker. A test keeps the two key sets equal.
"""

from __future__ import annotations

import re
from typing import Final

# One key per bracket: `[ref:rogers2024]`, `[ref:assumption:sows-rise]`.
CITATION: Final = re.compile(r"\[ref:([a-z0-9][a-z0-9.-]*(?::[a-z0-9][a-z0-9.-]*)?)\]")

LABELS: Final[dict[str, str]] = {
    "trakulsrichai2015": "Trakulsrichai et al. 2015",
    "tanna2022": "Tanna et al. 2022",
    "kratom-pk-review": "kratom pharmacokinetics review (PMC10353077)",
    "boyer2008": "Boyer et al. 2008",
    "galbis-reig2016": "Galbis-Reig 2016",
    "timeline-blogs": "treatment-centre web pages (not evidence-based)",
    "rat-withdrawal2021": "rat withdrawal study, Front Pharmacol 2021",
    "droracle-summary": "AI-written clinical summary (weak source)",
    "singh2014": "Singh et al. 2014",
    "singh2018": "Singh et al. 2018",
    "singh2019": "Singh et al. 2019",
    "smith2022": "Smith et al. 2022, J Addict Med",
    "smith2022-frontiers": "Smith et al. 2022, Front Pharmacol",
    "smith2021": "Smith et al. 2021",
    "rogers2024": "Rogers et al. 2024",
    "swogger-walsh2018": "Swogger & Walsh 2018",
    "garcia-romeu2020": "Garcia-Romeu et al. 2020",
    "grundmann2017": "Grundmann 2017",
    "hill2024": "Hill et al. 2024",
    "sharma2025": "Sharma et al. 2025",
    "smith-7oh-commentary": "Smith et al., commentary on 7-OH products",
    "fda-7oh-2025": "FDA, 29 July 2025",
    "fda-kratom-warning": "FDA warnings on kratom",
    "dea-2016": "DEA 2016",
    "cfr42-part2": "42 CFR Part 2 (US confidentiality of SUD records)",
    "state-kratom-laws": "state laws (unverified)",
    "olsen2019": "Olsen et al., MMWR 2019",
    "montana-ag-naloxone": "Montana Attorney General 2025",
    "cdc-opioids-2022": "CDC opioid guideline 2022",
    "community-taper": "kratom community taper practice (not clinical)",
    "weiss-douglas2021": "Weiss & Douglas 2021",
    "kiyokawa2023": "Kiyokawa et al. 2023",
    "smith-epstein-weiss2024": "Smith, Epstein & Weiss 2024",
    "naltrexone-case": "naltrexone case report (PMC10337879)",
    "asam4": "ASAM Criteria, 4th edition",
    "tanna-ddi": "Tanna et al., kratom interaction study in people",
    "jpet2021-ddi": "J Pharmacol Exp Ther 2021 (in vitro)",
    "wesson-ling2003": "Wesson & Ling 2003",
    "handelsman1987": "Handelsman et al. 1987",
    "ctn0094-data": "NIDA CTN-0051/0094 coding",
    "kroenke2001": "Kroenke et al. 2001",
    "kroenke2010": "Kroenke et al. 2010",
    "phq-screeners": "PHQ screeners notice",
    "spitzer2006": "Spitzer et al. 2006",
    "zorowitz2021": "Zorowitz et al. 2021",
    "dsm5": "DSM-5",
    "columbia-cssrs": "Columbia (C-SSRS) triage guidance",
    "craving-rating": "0–10 craving rating (research practice)",
    "bush1998": "Bush et al. 1998",
    "bradley2003": "Bradley et al. 2003",
    "who-audit": "WHO AUDIT",
    "skinner1982": "Skinner 1982",
    "sullivan1989": "Sullivan et al. 1989",
    "loinc": "LOINC",
    "loinc-vitals": "FHIR vital-signs value set",
    "loinc-labs": "LOINC laboratory codes",
    "loinc-discharge": "HL7 C-CDA on FHIR, discharge summary document types",
    "hl7-sdc": "HL7 Structured Data Capture",
    "drug-ner": "drug-named-entity-recognition",
    "rxnav-api": "NLM RxNav API documentation",
    "livertox-kratom": "NIH LiverTox",
    "gandhi2020": "Gandhi et al. 2020",
    "riverso2018": "Riverso et al. 2018",
    "fernandes2019": "Fernandes et al. 2019",
    "qt-users2020": "Clin Toxicol 2020 (QTc in users)",
    "qt-cases2021": "Front Pharmacol 2021 (QTc cases)",
    "eldridge2018": "Eldridge et al. 2018",
    "nas-case2019": "Paediatr Child Health 2019",
    "988-lifeline": "988 Suicide & Crisis Lifeline",
    "988-spanish": "988 Lifeline in Spanish",
    "samhsa-helpline": "SAMHSA National Helpline",
    "findtreatment": "FindTreatment.gov",
    "poison-help": "Poison Help line",
    "samhsa-overdose-toolkit2023": "SAMHSA overdose toolkit 2023",
    "tea-taper": "Tea Taper app",
    "sobriety-issues": "Sobriety app user requests",
    "nct05883358": "trial listing NCT05883358",
    "assumptions": "our assumption",
}


def label(key: str) -> str:
    """The short label for a key; `assumption:NAME` keys read as "our assumption"."""
    if key.startswith("assumption:"):
        return LABELS["assumptions"]
    return LABELS[key]


def readable(text: str) -> str:
    """`text` with every `[ref:KEY]` replaced by its label; unknown keys are left as written."""

    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        known = key.startswith("assumption:") or key in LABELS
        return label(key) if known else match.group(0)

    return CITATION.sub(replace, text)
