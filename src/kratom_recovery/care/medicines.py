"""The medicine table: generic names with the brand and street names people type, and classes.

Pure data, read by care/interactions.py (the classes, their concerns and the matcher). Each
`Generic` lists the names that map to it; `NAMES` flattens them into one entry per name.

Class membership is ordinary drug classification for the pharmacological classes (opioid,
benzodiazepine, ...). For the property lists (QT-prolonging, serotonergic, seizure threshold,
CYP3A and CYP2D6 substrates) our reference names the classes but not their members, so those
memberships are UNVERIFIED and every flag built on them tells the clinician to check an
interaction database (interactions.py `UNVERIFIED_MEMBERSHIP`).

RxNorm codes (RxCUI): there is no offline RxNorm here, so a code is recorded only where we read
it in an NLM page (`VERIFIED_RXCUI`, with the page); every other entry has none and the status
UNVERIFIED. A test refuses a code without a source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

NameKind = Literal["generic", "brand", "street"]
CodeStatus = Literal["verified", "UNVERIFIED"]


@dataclass(frozen=True)
class Generic:
    """One medicine (or fixed combination) and every name that maps to it."""

    name: str
    classes: tuple[str, ...]
    brands: tuple[str, ...] = ()
    street: tuple[str, ...] = ()
    note: str = ""  # a caveat the clinician should see with a match


def G(name: str, classes: str = "", brands: str = "", street: str = "",
      note: str = "") -> Generic:
    """Compact row: classes and names as comma-separated text, so the table reads as a table."""
    def split(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(",") if part.strip())
    return Generic(name, split(classes), split(brands), split(street), note)


_PRESSED = "Pressed pills sold as oxycodone ('M30', 'blues') often contain fentanyl."

GENERICS: Final[tuple[Generic, ...]] = (
    # --- opioids (full agonists) --------------------------------------------------------------
    G("oxycodone", "opioid, cyp3a-substrate",
      "oxycontin, percocet, roxicodone, endocet, xtampza, roxicet, oxaydo",
      "perc, percs, roxy, oxy"),
    G("oxycodone acetaminophen", "opioid, cyp3a-substrate"),
    G("fentanyl", "opioid, cyp3a-substrate", "duragesic, actiq, fentora, subsys",
      "fent, fetty, m30, blues, china white", note=_PRESSED),
    G("hydrocodone", "opioid, cyp2d6-substrate",
      "vicodin, norco, lortab, hysingla, zohydro, lorcet, xodol", "hydros, vikes"),
    G("hydromorphone", "opioid", "dilaudid, exalgo", "dillies"),
    G("morphine", "opioid", "ms contin, kadian, arymo, morphabond"),
    G("codeine", "opioid, cyp2d6-substrate", "tylenol with codeine, tylenol 3, tylenol 4",
      "t3"),
    G("codeine promethazine", "opioid, sedating-antihistamine",
      "phenergan with codeine", "lean, purple drank, sizzurp"),
    G("methadone", "opioid, moud, qt-prolonging", "dolophine, methadose, diskets"),
    G("tramadol", "opioid, serotonergic, seizure-threshold, cyp2d6-substrate",
      "ultram, ultracet, conzip, qdolo", "trammies"),
    G("tapentadol", "opioid, serotonergic", "nucynta"),
    G("oxymorphone", "opioid", "opana"),
    G("meperidine", "opioid, serotonergic", "demerol"),
    G("levorphanol", "opioid"),
    G("butorphanol", "opioid", "stadol"),
    G("pentazocine", "opioid", "talwin"),
    G("heroin", "opioid", "", "smack"),
    # --- medicines for opioid use disorder, antagonists, rescue -------------------------------
    G("buprenorphine", "moud, buprenorphine",
      "subutex, sublocade, brixadi, butrans, belbuca, buprenex",
      "bupe, bup, subs, sub, sub film"),
    G("buprenorphine naloxone", "moud, buprenorphine", "suboxone, zubsolv, bunavail",
      "suboxone strip, suboxone film"),
    G("naltrexone", "opioid-antagonist", "vivitrol, revia, depade"),
    G("naltrexone bupropion", "opioid-antagonist, seizure-threshold", "contrave"),
    G("olanzapine samidorphan", "opioid-antagonist, sedating-antipsychotic", "lybalvi"),
    G("naloxone", "naloxone", "narcan, kloxxado, zimhi, evzio, rextovy", "narcan spray"),
    G("nalmefene", "naloxone", "opvee, zurnai"),
    # --- benzodiazepines ----------------------------------------------------------------------
    G("alprazolam", "benzodiazepine, cyp3a-substrate", "xanax, xanax xr, niravam",
      "bars, xanny, zanny, zannie, xans, xanax bars, school bus"),
    G("clonazepam", "benzodiazepine", "klonopin", "k pin, kpin, klonnie, klons"),
    G("diazepam", "benzodiazepine", "valium, valtoco, diastat", "vals"),
    G("lorazepam", "benzodiazepine", "ativan, loreev"),
    G("chlordiazepoxide", "benzodiazepine", "librium"),
    G("temazepam", "benzodiazepine", "restoril"),
    G("triazolam", "benzodiazepine, cyp3a-substrate", "halcion"),
    G("midazolam", "benzodiazepine, cyp3a-substrate", "versed, nayzilam, seizalam"),
    G("oxazepam", "benzodiazepine", "serax"),
    G("clorazepate", "benzodiazepine", "tranxene"),
    G("clobazam", "benzodiazepine", "onfi, sympazan"),
    G("estazolam", "benzodiazepine", "prosom"),
    G("flurazepam", "benzodiazepine", "dalmane"),
    G("etizolam", "benzodiazepine", "", "etiz",
      note="Not an approved medicine in the US (a 'designer benzodiazepine')."),
    G("bromazolam", "benzodiazepine", "", "",
      note="Not an approved medicine in the US (a 'designer benzodiazepine')."),
    # --- Z-drugs --------------------------------------------------------------------------------
    G("zolpidem", "z-drug", "ambien, ambien cr, intermezzo, edluar, zolpimist"),
    G("eszopiclone", "z-drug", "lunesta"),
    G("zaleplon", "z-drug", "sonata"),
    # --- barbiturates ---------------------------------------------------------------------------
    G("phenobarbital", "barbiturate", "luminal, sezaby", "phenobarb"),
    G("butalbital", "barbiturate", "fioricet, fiorinal, esgic, bupap"),
    G("secobarbital", "barbiturate", "seconal"),
    G("pentobarbital", "barbiturate", "nembutal"),
    G("primidone", "barbiturate", "mysoline"),
    # --- gabapentinoids -------------------------------------------------------------------------
    G("gabapentin", "gabapentinoid", "neurontin, gralise, horizant", "gabbies, johnnies"),
    G("pregabalin", "gabapentinoid", "lyrica, lyrica cr"),
    # --- muscle relaxants -------------------------------------------------------------------------
    G("carisoprodol", "muscle-relaxant", "soma, vanadom"),
    G("cyclobenzaprine", "muscle-relaxant, serotonergic", "flexeril, amrix, fexmid"),
    G("methocarbamol", "muscle-relaxant", "robaxin"),
    G("tizanidine", "muscle-relaxant, alpha2-agonist", "zanaflex"),
    G("baclofen", "muscle-relaxant", "lioresal, ozobax, gablofen, lyvispah"),
    G("metaxalone", "muscle-relaxant", "skelaxin"),
    G("orphenadrine", "muscle-relaxant", "norflex"),
    G("chlorzoxazone", "muscle-relaxant", "lorzone, parafon forte"),
    # --- sedating antihistamines --------------------------------------------------------------
    G("hydroxyzine", "sedating-antihistamine, qt-prolonging", "vistaril, atarax"),
    G("diphenhydramine", "sedating-antihistamine",
      "benadryl, zzzquil, unisom sleepgels, tylenol pm, advil pm, aleve pm, nytol, sominex"),
    G("doxylamine", "sedating-antihistamine", "unisom, unisom sleeptabs"),
    G("promethazine", "sedating-antihistamine, qt-prolonging", "phenergan, promethegan"),
    G("meclizine", "sedating-antihistamine", "antivert, bonine"),
    G("cyproheptadine", "sedating-antihistamine, serotonergic", "periactin"),
    G("chlorpheniramine", "sedating-antihistamine", "chlor trimeton"),
    G("dimenhydrinate", "sedating-antihistamine", "dramamine"),
    # --- sedating antidepressants --------------------------------------------------------------
    G("trazodone", "sedating-antidepressant, serotonergic", "desyrel, oleptro", "traz"),
    G("mirtazapine", "sedating-antidepressant, serotonergic", "remeron, remeron soltab"),
    G("doxepin", "sedating-antidepressant, serotonergic", "silenor, sinequan"),
    G("amitriptyline", "sedating-antidepressant, serotonergic, qt-prolonging", "elavil"),
    G("nortriptyline", "sedating-antidepressant, serotonergic, cyp2d6-substrate",
      "pamelor"),
    # --- sedating antipsychotics --------------------------------------------------------------
    G("quetiapine", "sedating-antipsychotic, qt-prolonging, cyp3a-substrate",
      "seroquel, seroquel xr", "susie q"),
    G("olanzapine", "sedating-antipsychotic", "zyprexa, zyprexa zydis"),
    G("chlorpromazine", "sedating-antipsychotic, qt-prolonging", "thorazine"),
    G("clozapine", "sedating-antipsychotic, seizure-threshold", "clozaril, versacloz"),
    # --- other sedatives ------------------------------------------------------------------------
    G("sodium oxybate", "other-sedative", "xyrem, xywav, lumryz", "ghb"),
    G("meprobamate", "other-sedative", "miltown"),
    G("phenibut", "other-sedative", "", "",
      note="Sold as a supplement, not an approved medicine."),
    G("xylazine", "other-sedative, alpha2-agonist", "", "tranq, tranq dope",
      note="A veterinary sedative, not a medicine for people."),
    # --- QT-prolonging (membership UNVERIFIED: check an interaction database) -----------------
    G("ondansetron", "qt-prolonging, serotonergic", "zofran, zuplenz"),
    G("loperamide", "qt-prolonging", "imodium, imodium ad, diamode",
      note="The QT risk is at high doses, e.g. when taken in large amounts to ease "
           "withdrawal."),
    G("haloperidol", "qt-prolonging", "haldol"),
    G("ziprasidone", "qt-prolonging", "geodon"),
    G("amiodarone", "qt-prolonging", "pacerone, nexterone, cordarone"),
    G("sotalol", "qt-prolonging, beta-blocker", "betapace, sotylize"),
    G("dofetilide", "qt-prolonging", "tikosyn"),
    G("azithromycin", "qt-prolonging", "zithromax, z pak, zmax"),
    G("clarithromycin", "qt-prolonging", "biaxin"),
    G("erythromycin", "qt-prolonging", "ery tab, eryped"),
    G("levofloxacin", "qt-prolonging", "levaquin"),
    G("ciprofloxacin", "qt-prolonging", "cipro"),
    G("moxifloxacin", "qt-prolonging", "avelox"),
    G("hydroxychloroquine", "qt-prolonging", "plaquenil"),
    G("fluconazole", "qt-prolonging", "diflucan"),
    G("droperidol", "qt-prolonging", "inapsine"),
    # --- serotonergic antidepressants and others ----------------------------------------------
    G("citalopram", "serotonergic, qt-prolonging", "celexa"),
    G("escitalopram", "serotonergic, qt-prolonging", "lexapro"),
    G("sertraline", "serotonergic", "zoloft"),
    G("fluoxetine", "serotonergic", "prozac, sarafem"),
    G("paroxetine", "serotonergic", "paxil, pexeva, brisdelle"),
    G("fluvoxamine", "serotonergic", "luvox"),
    G("venlafaxine", "serotonergic", "effexor, effexor xr"),
    G("desvenlafaxine", "serotonergic", "pristiq"),
    G("duloxetine", "serotonergic", "cymbalta, drizalma"),
    G("vilazodone", "serotonergic", "viibryd"),
    G("vortioxetine", "serotonergic", "trintellix"),
    G("clomipramine", "serotonergic", "anafranil"),
    G("imipramine", "serotonergic", "tofranil"),
    G("phenelzine", "serotonergic", "nardil"),
    G("tranylcypromine", "serotonergic", "parnate"),
    G("selegiline", "serotonergic", "emsam, zelapar"),
    G("linezolid", "serotonergic", "zyvox"),
    G("lithium", "serotonergic", "lithobid, eskalith"),
    G("buspirone", "serotonergic", "buspar"),
    G("sumatriptan", "serotonergic", "imitrex"),
    G("rizatriptan", "serotonergic", "maxalt"),
    G("st john's wort", "serotonergic", "", "hypericum"),
    G("dextromethorphan", "cyp2d6-substrate, serotonergic",
      "delsym, robitussin dm, mucinex dm, nyquil", "dxm, robo"),
    # --- seizure threshold ----------------------------------------------------------------------
    G("bupropion", "seizure-threshold", "wellbutrin, wellbutrin xl, zyban, aplenzin, forfivo"),
    # --- alpha-2 agonists -------------------------------------------------------------------------
    G("clonidine", "alpha2-agonist", "catapres, kapvay, nexiclon"),
    G("lofexidine", "alpha2-agonist, qt-prolonging", "lucemyra"),
    G("guanfacine", "alpha2-agonist", "intuniv, tenex"),
    G("dexmedetomidine", "alpha2-agonist", "igalmi, precedex"),
    # --- beta-blockers (mask the pulse) -----------------------------------------------------------
    G("metoprolol", "beta-blocker, cyp2d6-substrate",
      "lopressor, toprol, toprol xl, kapspargo"),
    G("propranolol", "beta-blocker", "inderal, inderal la, innopran, hemangeol"),
    G("atenolol", "beta-blocker", "tenormin"),
    G("carvedilol", "beta-blocker", "coreg"),
    G("bisoprolol", "beta-blocker", "zebeta, ziac"),
    G("nebivolol", "beta-blocker, cyp2d6-substrate", "bystolic"),
    G("labetalol", "beta-blocker", "trandate"),
    G("nadolol", "beta-blocker", "corgard"),
    # --- stimulants -------------------------------------------------------------------------------
    G("modafinil", "stimulant", "provigil"),
    G("armodafinil", "stimulant", "nuvigil"),
    G("amphetamine", "stimulant", "adderall, adderall xr, evekeo, mydayis, adzenys",
      "addy, addies"),
    G("dextroamphetamine", "stimulant", "dexedrine, zenzedi, procentra"),
    G("lisdexamfetamine", "stimulant", "vyvanse"),
    G("methylphenidate", "stimulant", "ritalin, concerta, metadate, daytrana, quillivant"),
    G("dexmethylphenidate", "stimulant", "focalin, focalin xr"),
    G("methamphetamine", "stimulant", "desoxyn", "meth, crystal meth"),
    G("phentermine", "stimulant", "adipex, lomaira"),
    G("cocaine", "stimulant", "", "crack"),
    # --- other CYP substrates (membership UNVERIFIED) ---------------------------------------------
    G("aripiprazole", "cyp2d6-substrate", "abilify, abilify maintena, aristada"),
    G("risperidone", "cyp2d6-substrate", "risperdal"),
    G("atomoxetine", "cyp2d6-substrate", "strattera"),
    G("tamoxifen", "cyp2d6-substrate", "soltamox, nolvadex"),
    G("simvastatin", "cyp3a-substrate", "zocor"),
    G("lovastatin", "cyp3a-substrate", "mevacor, altoprev"),
    G("atorvastatin", "cyp3a-substrate", "lipitor"),
    G("tacrolimus", "cyp3a-substrate", "prograf, envarsus, astagraf"),
    G("cyclosporine", "cyp3a-substrate", "neoral, sandimmune, gengraf"),
    G("sildenafil", "cyp3a-substrate", "viagra, revatio"),
    G("apixaban", "cyp3a-substrate", "eliquis"),
    G("rivaroxaban", "cyp3a-substrate", "xarelto"),
    # --- recognised, with no class of concern in this table ---------------------------------------
    G("acetaminophen", "", "tylenol, panadol", "apap, paracetamol"),
    G("ibuprofen", "", "advil, motrin"),
    G("naproxen", "", "aleve, naprosyn"),
    G("aspirin", "", "bayer, ecotrin"),
    G("lisinopril", "", "zestril, prinivil"),
    G("losartan", "", "cozaar"),
    G("amlodipine", "", "norvasc"),
    G("hydrochlorothiazide", "", "microzide", "hctz"),
    G("metformin", "", "glucophage"),
    G("levothyroxine", "", "synthroid, levoxyl, unithroid"),
    G("omeprazole", "", "prilosec"),
    G("pantoprazole", "", "protonix"),
    G("famotidine", "", "pepcid"),
    G("montelukast", "", "singulair"),
    G("cetirizine", "", "zyrtec"),
    G("loratadine", "", "claritin"),
    G("albuterol", "", "ventolin, proair, proventil"),
    G("prednisone", "", "deltasone"),
    G("amoxicillin", "", "amoxil"),
    G("doxycycline", "", "vibramycin, doryx"),
    G("insulin", "", "lantus, humalog, novolog"),
    G("varenicline", "", "chantix"),
    G("nicotine replacement", "", "nicorette, nicoderm", "nicotine patch, nicotine gum"),
    G("lamotrigine", "", "lamictal"),
    G("levetiracetam", "", "keppra"),
    G("topiramate", "", "topamax"),
    G("dicyclomine", "", "bentyl"),
    G("bismuth subsalicylate", "", "pepto bismol"),
)

# RxCUIs read on NLM pages [ref:rxnav-api]. Everything else has no code (status UNVERIFIED).
_RXNAV_PROPERTY = "https://lhncbc.nlm.nih.gov/RxNav/APIs/api-Prescribable.getRxProperty.html"
_RXNAV_PROPERTIES = "https://lhncbc.nlm.nih.gov/RxNav/APIs/api-RxNorm.getRxConceptProperties.html"
VERIFIED_RXCUI: Final[Mapping[str, tuple[str, str]]] = {
    # name -> (RxCUI, the page it was read on)
    "morphine": ("7052", f"{_RXNAV_PROPERTY} (example: morphine, RxCUI=7052)"),
    "ambien": ("131725", f"{_RXNAV_PROPERTIES} (example: Ambien, RxCUI=131725, TTY BN)"),
}


@dataclass(frozen=True)
class MedicineName:
    """One entry: a name a person may type, the generic it maps to, and its RxCUI if verified."""

    name: str
    generic: str
    kind: NameKind
    rxcui: str | None = None
    rxcui_source: str | None = None

    @property
    def code_status(self) -> CodeStatus:
        return "verified" if self.rxcui and self.rxcui_source else "UNVERIFIED"


def _entries() -> tuple[MedicineName, ...]:
    rows: list[MedicineName] = []
    for generic in GENERICS:
        named = [(generic.name, "generic")] + [(b, "brand") for b in generic.brands] + [
            (s, "street") for s in generic.street]
        for name, kind in named:
            code = VERIFIED_RXCUI.get(name)
            rows.append(MedicineName(name, generic.name, kind,  # type: ignore[arg-type]
                                     code[0] if code else None, code[1] if code else None))
    return tuple(rows)


NAMES: Final[tuple[MedicineName, ...]] = _entries()
