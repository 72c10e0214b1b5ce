//! Topic tagging: one sentence → the watched topics it states a deal term about.
//!
//! Owns the rules for the built-in topics `exclusivity`, `cloud` and `revenue_share`, and a
//! literal fallback for user-defined topics. The model is deliberately small and
//! inspectable: each rule is a conjunction of regular expressions (all must match) over a
//! normalised sentence (NFKC, lowercase, straight apostrophes, ASCII hyphens, double quotes
//! removed so that `its “primary” cloud provider` reads like `its primary cloud provider`).
//! A topic is assigned when any of its rules fires; [`TopicRules::explain`] names the rules.
//!
//! Precision comes from *shape*, not from single words: "cloud" alone is everywhere in tech
//! news (market commentary, company self-descriptions, own cloud revenue), so a cloud rule
//! needs a relationship — someone's *provider*, models *run/trained on* some compute,
//! *access to / purchase of* capacity, a *deal* about cloud with an amount, a model
//! platform (Bedrock, Vertex AI, Foundry), or capacity quoted in gigawatts. Likewise
//! "exclusive" is stripped of its editorial false friends ("exclusive interview",
//! "Exclusive:") before the exclusivity rules run, and revenue *concentration* ("X
//! accounted for 62% of Y's revenue") is masked before the revenue-share rules run.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Cloud / AI-compute providers and their compute brands (lowercase regex alternation).
const PROVIDER: &str = r"(?:aws|amazon web services|azure|google cloud(?: platform)?|gcp|oracle cloud(?: infrastructure)?|oci|coreweave|ibm cloud|alibaba cloud|tencent cloud|huawei cloud|nebius|lambda|crusoe|dgx cloud|ec2|digitalocean|equinix|nscale|vultr|fluidstack|together ai|cerebras|groq|scaleway|ovhcloud|akamai|linode|rackspace|core42|voltage park|cirrascale|[\w-]+ cloud)";

/// Companies that own a hyperscale cloud; only used next to an exclusivity statement.
const CLOUD_PARENT: &str =
    r"(?:amazon|microsoft|google|alphabet|oracle|ibm|alibaba|tencent|huawei|nvidia)";

/// Compute resources a cloud deal is about.
const RESOURCE: &str = r"(?:gpus?|tpus?|(?:tensor|graphics) processing units?|chips?|accelerators?|trainium\w*|inferentia\w*|superchips?|supercomputers?|servers?|ultraservers?|data ?cent(?:er|re)s?|compute|computing (?:power|capacity|resources|infrastructure|environment|platform|services|clusters?)|computational (?:power|resources|capacity)|cloud[- ]computing|cloud (?:services?|servers?|infrastructure|capacity|resources|compute)|capacity|infrastructure|hardware|h100s?|h200s?|b200s?|gb200s?|gb300s?|a100s?|mi300x?|blackwell|hopper|(?:gpu |ai |compute |training )?clusters?)";

/// What a cloud hosts for a customer: models and AI workloads.
const MODEL_OBJECT: &str = r"(?:models?|workloads?|llms?|inference|training|foundation models?|ai (?:models?|systems?|workloads?|applications?|agents?|services?|products?)|applications|agents|pre-?training|(?:training|pre-?training|inference|ai) (?:jobs|runs))";

/// Verbs of running AI on someone's compute.
const MODEL_VERB: &str = r"(?:train|trains|training|trained|deploy|deploys|deploying|deployed|run|runs|running|ran|host|hosts|hosting|hosted|serve|serves|serving|served|fine-tune|fine-tunes|fine-tuning|power|powers|powering)";

/// Verbs of getting or giving compute.
const ACQUIRE_VERB: &str = r"(?:draw(?:s|ing)? on|drew on|tap(?:s|ped|ping)? into|access|accessing|accessed|use|uses|using|used|usage|utiliz\w+|utilis\w+|buy|buys|buying|bought|purchas\w+|consum\w+|lease|leases|leasing|leased|rent|rents|renting|rented|secure|secures|securing|secured|supply|supplies|supplying|supplied|provide|provides|providing|provided|grant|grants|granting|granted|gain|gains|gaining|gained|reserv\w+|procur\w+|tap|taps|tapping|contracted|contracting)";

/// Amounts and durations that make a deal a concrete term.
const AMOUNT: &str = r"(?:\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|tens of|hundreds of|several)(?:[\s-]+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred))*\s+(?:billion|million|trillion)\b|\$\s?\d|(?:us|u\.s\.)\s?\$|€\s?\d|£\s?\d|\d[\d.,]*\s?(?:billion|million|trillion|bn|tn|mln|bln)\b|\b\d+[- ]years?\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|multi)[- ]years?\b|\b(?:several|multiple)\s+years\b|\bthrough 20\d\d\b|gigawatts?|\bgw\b)";

/// Training people, not models: "training two million workers on Azure skills".
const WORKFORCE_TRAINING: &str = r"\btrain\w*\s+(?:[\w,.-]+\s+){0,3}?(?:people|workers|employees|students|developers|staff|professionals|teachers|engineers|users)\b";

/// A company calling itself a cloud ("Acme is a cloud company at heart"): the cloud there
/// is no counterparty, so it must not be what makes "we run our inference..." a term.
const SELF_DESCRIPTION: &str = r"\b(?:is|are|was|were|as)\s+(?:a|an|one of the)\s+(?:[\w-]+\s+){0,2}?cloud(?:[- ]native)?\s+(?:company|companies|business|firm|player|provider|vendor|shop|startup)\b";

/// Deal nouns.
const DEAL: &str = r"(?:deals?|agreements?|contracts?|partnerships?|pacts?|commitments?|arrangements?|purchases?|joint ventures?)";

/// A built-in topic a rule assigns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Builtin {
    Exclusivity,
    Cloud,
    RevenueShare,
}

impl Builtin {
    fn name(self) -> &'static str {
        match self {
            Builtin::Exclusivity => "exclusivity",
            Builtin::Cloud => "cloud",
            Builtin::RevenueShare => "revenue_share",
        }
    }

    fn is_builtin_name(name: &str) -> bool {
        super::Topic::BUILTIN.contains(&name)
    }
}

/// Which text a pattern looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum View {
    /// Normalised lowercase text.
    Lower,
    /// Normalised lowercase text with editorial "exclusive" false friends removed.
    Exclusivity,
    /// Normalised lowercase text with revenue-concentration phrases masked.
    Revenue,
    /// Normalised text with its original case (product names such as "Bedrock").
    Cased,
}

struct Rule {
    topic: Builtin,
    name: &'static str,
    view: View,
    /// All must match.
    all: Vec<Regex>,
    /// None may match.
    none: Vec<Regex>,
}

/// Why one topic was assigned: the rule that fired.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuleHit {
    /// The topic's snake_case name.
    pub topic: String,
    /// The rule's name, e.g. `cloud.provider_role`.
    pub rule: &'static str,
}

/// The compiled topic rules.
pub struct TopicRules {
    rules: Vec<Rule>,
    /// `exclusivity` + any cloud party/resource ⇒ also `cloud`.
    cloud_party: Regex,
    /// [`TopicRules::cloud_party`] without the bare parent companies (`Microsoft`).
    cloud_party_strong: Regex,
    custom: Vec<CompiledCustom>,
}

/// A user-defined topic, compiled.
struct CompiledCustom {
    name: String,
    patterns: Vec<Regex>,
    exclude: Vec<Regex>,
    literal: bool,
}

/// Phrases where "exclusive" is editorial, not contractual.
static EXCLUSIVE_FALSE_FRIENDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // A kicker ("Exclusive:", "Reuters exclusive:") opens the sentence; "is non-exclusive:"
        // later on introduces the term itself.
        r"^(?:[\w.'-]+\s+){0,2}?exclusive(?:ly)?\s*:|",
        r"\bexclusive\s+(?:[\w-]+\s+)?(?:interviews?|analysis|analyses|reports?|reporting|story|stories|coverage|scoops?|footage|photos?|pictures?|images?|videos?|previews?|look|conversations?|commentary|podcasts?|briefings?|webinars?|events?|offers?|discounts?|newsletters?|insights?|subscribers?|members?|membership|club|community|invitations?|updates?|early access|access for (?:members|subscribers)|tours?|dinners?|party|parties|merchandise|giveaways?|perks?|benefits?|first look)\b|",
        r"\b(?:reported|told|said|revealed|confirmed|disclosed)\s+(?:[\w-]+\s+){0,3}?(?:exclusively|in an exclusive)\b|",
        r"\bexclusively\s+(?:reported|revealed|told|obtained|seen|learned|viewed)\b|",
        r"\bmutually\s+exclusive\b|",
        r"\bexclusive(?:ly)?\s+(?:focus\w*|on\s+(?:enterprise|consumer)|dedicated)\b|\bfocus\w*\s+exclusively\b|",
        r"\bexclusive\s+(?:club|group|list|ranks|company of|circle)\b|",
        r"\bexclusive\s+to\s+(?:our\s+)?(?:subscribers|members|readers|listeners|viewers|this site)\b|",
        r"\b(?:an?|our|this)\s+(?:[\w-]+\s+)?exclusive\s*(?:[.,;:)]|$)",
    ))
    .expect("valid regex")
});

/// "X accounted for 62% of Y's revenue": a customer's weight in revenue, not a share paid.
static REVENUE_CONCENTRATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:accounted|accounts|account|accounting|made up|makes up|make up|represented|represents|represent|comprised|comprises|contributed|contributes|generated|generates|generating|drove|drives|delivered|delivers|brought in|brings in|was|were|is|are)\s+(?:for\s+)?(?:about\s+|roughly\s+|nearly\s+|almost\s+|around\s+|over\s+|more than\s+|less than\s+|some\s+|approximately\s+|just\s+|only\s+)?(?:\d+(?:\.\d+)?\s?(?:%|percent|per cent)|half|a third|one-third|a quarter|one-quarter|a tenth|one-tenth|a fifth|one-fifth|the bulk|most|a majority|the majority)\s+of\b",
    )
    .expect("valid regex")
});

/// Intellectual-property licences, whose exclusivity is not a hosting arrangement.
static IP_LICENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\blicen[cs]\w*|\bintellectual property\b|\bip\b|\bpatents?\b")
        .expect("valid regex")
});

/// "in her capacity as board chair": a role, not compute capacity.
static ROLE_CAPACITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bcapacity\s+as\b").expect("valid regex"));

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid built-in topic regex")
}

impl TopicRules {
    /// Compiles the built-in rules plus the user's `custom` topics. A custom topic without
    /// patterns matches its own name as words. Errors name the bad pattern.
    pub fn new(custom: &[super::CustomTopic]) -> Result<TopicRules, (String, String)> {
        let p = PROVIDER;
        let r = RESOURCE;
        let mut rules = Vec::new();
        let mut add_vetoed =
            |topic: Builtin, name: &'static str, view: View, pats: &[String], vetoes: &[&str]| {
                rules.push(Rule {
                    topic,
                    name,
                    view,
                    all: pats.iter().map(|s| re(s)).collect(),
                    none: vetoes.iter().map(|s| re(s)).collect(),
                });
            };
        macro_rules! add {
            ($topic:expr, $name:expr, $view:expr, $pats:expr) => {
                add_vetoed($topic, $name, $view, $pats, &[])
            };
        }
        use Builtin::{Cloud, Exclusivity, RevenueShare};

        // --- exclusivity -------------------------------------------------------------
        // Any contractual use of exclusive / non-exclusive / exclusively / exclusivity
        // (editorial uses were removed from this view).
        add!(
            Exclusivity,
            "exclusivity.exclusive",
            View::Exclusivity,
            &[r"\b(?:non-?)?exclusiv(?:e|ely|ity|ities)\b".into(),]
        );
        // "the sole place it trains", "sole cloud provider", "solely on Azure".
        add!(Exclusivity, "exclusivity.sole", View::Exclusivity, &[
            r"\bsole\s+(?:and\s+exclusive\s+)?(?:[\w-]+\s+)?(?:provider|supplier|source|distributor|reseller|vendor|licensee|licensor|partner|place|home|rights?|licen[cs]e|platform|cloud)\b|\bsolely\s+(?:on|with|through|via|by)\b".into(),
        ]);
        // "the only reseller allowed to offer ...": an only-X-may-do-Y arrangement.
        add!(Exclusivity, "exclusivity.only_provider", View::Exclusivity, &[
            r"\b(?:the|its|their|our)\s+only\s+(?:[\w-]+\s+){0,2}?(?:provider|supplier|reseller|distributor|vendor|platform|partner|place|home|cloud|licensee|seller)\s+(?:that|which|to|where|allowed|authori[sz]ed|permitted|for|of|with|(?:on|in|through|via|from|by)\s+which)\b".into(),
        ]);
        // Right of first refusal / negotiation / first look.
        add!(Exclusivity, "exclusivity.first_refusal", View::Lower, &[
            r"\brights?\s+of\s+first\s+(?:refusal|negotiation|offer|look)\b|\bwithout\s+first\s+(?:offering|giving|going to|consulting)\b|\bfirst[- ](?:refusal|negotiation)\b|\bfirst[- ]look\s+(?:deal|agreement|rights?)\b|\brofr\b".into(),
        ]);
        // Launch priority: "available first on Azure", "launch first on the platform".
        add!(
            Exclusivity,
            "exclusivity.first_on",
            View::Lower,
            &[format!(
                r"\bfirst\s+(?:on|to|in|through)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:{p}|platforms?|clouds?|bedrock|vertex|marketplaces?|stores?)\b"
            ),]
        );
        // Launch windows: "the first cloud provider to offer the models", "on Globex's
        // platform weeks before other clouds".
        add!(
            Exclusivity,
            "exclusivity.launch_window",
            View::Lower,
            &[r"\bfirst\s+(?:cloud\s+)?(?:provider|platform|cloud|partner|company|reseller)\s+(?:(?:other than|besides|apart from|outside(?: of)?)\s+(?:[\w'-]+\s+){1,4}?)?to\s+(?:offer|host|sell|serve|carry|launch|distribute|make)\b|\b(?:weeks|days|months)\s+(?:before|ahead\s+of|earlier\s+than)\s+(?:other|rival|competing|any\s+other)\b".into()]
        );
        // The scope of a non-exclusive part: "non-API products may be served on any cloud
        // provider", "free to buy compute from any other provider".
        add!(Exclusivity, "exclusivity.any_provider", View::Lower, &[
            r"\b(?:on|with|through|via|from|to|by|use)\s+any\s+(?:other\s+)?(?:[\w-]+\s+)?(?:clouds?|cloud providers?|providers?|platforms?|third[- ]part(?:y|ies))\b".into(),
            r"\b(?:may|can|could|free to|allowed|permitted|able to)\b".into(),
        ]);
        // Scoped grants of rights ("gains distribution rights for ...").
        add!(Exclusivity, "exclusivity.scoped_rights", View::Lower, &[
            r"\b(?:distribution|resale|reselling|licensing|sublicensing|commerciali[sz]ation|streaming|broadcast(?:ing)?|hosting|reseller)\s+rights\b".into(),
        ]);

        // The scope or term of licence/IP rights over models or products ("IP rights to the
        // models are extended through 2032", "its licence now covers models after AGI"):
        // it bounds who may use what, which is what an exclusivity clause is about.
        add!(Exclusivity, "exclusivity.ip_rights_term", View::Lower, &[
            r"\b(?:ip|intellectual[- ]property|licen[cs]e|licensing|usage)\s+rights?\b|\blicen[cs]e\s+to\s+(?:[\w'-]+\s+){0,3}?(?:models?|technology|products?|ip|software|weights)\b".into(),
            r"\b(?:through|until|till|extended|extends?|expire[sd]?|expiring|ends?|ending|perpetual|irrevocable|include[sd]?|covers?|post-agi|after agi|before agi)\b".into(),
        ]);

        // --- cloud -----------------------------------------------------------------
        // Model platforms of the clouds: being on one *is* a hosting/distribution fact.
        add!(Cloud, "cloud.model_platform", View::Cased, &[
            r"\b(?:Bedrock|Vertex AI|Model Garden|SageMaker|Azure AI Foundry|Azure AI Studio|Azure OpenAI|Microsoft Foundry|AI Foundry|watsonx|OCI Generative AI)\b".into(),
        ]);
        // Someone's provider: "Acme's primary cloud provider", "its cloud partners",
        // "Globex's cloud-computing resources", "cloud provider for Acme".
        add!(Cloud, "cloud.provider_role", View::Lower, &[
            r"(?:'s|s'|\bits|\btheir|\bour|\bhis|\bher|\bwhose)\s+(?:[\w-]+\s+){0,2}?(?:cloud|cloud[- ]computing|compute|computing|training|inference|infrastructure|hosting|ai infrastructure)[\s-]+(?:providers?|partners?|suppliers?|vendors?|home|platforms?|resources|capacity)\b|\b(?:primary|preferred|main|principal|sole|exclusive|designated)\s+(?:cloud|compute|computing|training|infrastructure|hosting)\s+(?:(?:and|&)\s+(?:cloud|compute|training|inference)\s+)?(?:providers?|partners?|suppliers?|distributors?|home)\b".into(),
        ]);
        // A chosen cloud without a role noun: "selected Globex as its preferred cloud for
        // training", "its primary cloud, Globex".
        add!(Cloud, "cloud.preferred_cloud", View::Lower, &[
            r"\b(?:as|its|their|our|the|'s)\s+(?:primary|preferred|main|principal|designated)\s+clouds?\s*(?:for\b|of\b|,|\.|;|$)".into(),
        ]);
        // "Globex, now compute supplier to Acme" — but not a self-description
        // ("Globex is a leading cloud provider for AI companies").
        add_vetoed(Cloud, "cloud.provider_for", View::Lower, &[
            r"\b(?:cloud|compute|computing|training|infrastructure)\s+(?:provider|partner|supplier)\s+(?:for|to|of)\s+\w".into(),
        ], &[r"\b(?:is|are|was|were)\s+(?:a|an|one of)\b"]);
        // "main partner for model training", "preferred supplier of compute".
        add!(Cloud, "cloud.primary_for_models", View::Lower, &[
            r"\b(?:primary|preferred|main|principal|sole|exclusive|designated|lead)\s+(?:[\w-]+\s+)?(?:provider|partner|supplier|distributor|home)\s+(?:for|of)\s+(?:[\w'-]+\s+){0,3}?(?:training|models?|inference|workloads?|compute|cloud)\b".into(),
        ]);
        // Named cloud deals: "a $7 billion cloud contract", "their cloud pact".
        add!(Cloud, "cloud.cloud_deal", View::Lower, &[
            r"\bcloud(?:[- ]computing)?\s+(?:deals?|contracts?|agreements?|partnerships?|pacts?|commitments?)\b|\b(?:compute|capacity|gpu|tpu)\s+(?:deals?|contracts?|agreements?|pacts?)\s+(?:with|from|for)\b".into(),
        ]);
        // A compute deal with an amount or duration: "a five-year, $10 billion agreement
        // with cloud provider Initech", "its $20 billion infrastructure commitment".
        add!(Cloud, "cloud.compute_deal_amount", View::Lower, &[
            r"\b(?:cloud|compute|computing|infrastructure|capacity|data ?cent(?:er|re)s?|gpus?|tpus?|chips?)\b".into(),
            format!(r"\b{DEAL}\b"),
            AMOUNT.to_owned(),
        ]);
        // A deal with a named cloud provider and an amount — unless it is about equity
        // ("receives $350 million of equity in <cloud company>"), which is investment news.
        add_vetoed(
            Cloud,
            "cloud.provider_deal_amount",
            View::Lower,
            &[
                format!(r"\b{p}\b"),
                format!(r"\b{DEAL}\b"),
                AMOUNT.to_owned(),
            ],
            &[r"\b(?:equity|stake|shares|valuation|valued|ipo|funding round|stock)\b"],
        );
        // Running AI on someone's compute: "train and deploy its models on X's chips".
        add_vetoed(
            Cloud,
            "cloud.models_on_compute",
            View::Lower,
            &[
                format!(r"\b{MODEL_VERB}\b(?:\s+[\w'-]+){{0,6}}?\s+{MODEL_OBJECT}\b"),
                format!(r"\b(?:{r}|{p})\b"),
            ],
            &[WORKFORCE_TRAINING, SELF_DESCRIPTION],
        );
        // "trains its model on Trainium", "ran them on Acme hardware".
        add_vetoed(
            Cloud,
            "cloud.verb_on_compute",
            View::Lower,
            &[format!(
                r"\b{MODEL_VERB}\s+(?:[\w'-]+\s+){{0,4}}?(?:on|using|atop|across)\s+(?:[\w'-]+\s+){{0,4}}?(?:{r}|{p})\b"
            )],
            &[WORKFORCE_TRAINING],
        );
        // Chips shaped for a customer's models: "tune future chips for Acme workloads".
        add!(Cloud, "cloud.chips_for_models", View::Lower, &[
            r"\b(?:optimi[sz]\w*|tun(?:e|es|ed|ing)|design\w*|customi[sz]\w*|co-design\w*)\s+(?:[\w-]+\s+){0,3}?(?:chips?|gpus?|tpus?|accelerators?|hardware|silicon)\s+for\s+(?:[\w'-]+\s+){0,2}?(?:workloads?|models?)\b".into(),
        ]);
        // A provider building for a customer: "Globex will build out dedicated
        // infrastructure for Acme".
        add!(Cloud, "cloud.builds_for", View::Lower, &[
            r"\b(?:build|builds|building|built)(?:\s+out)?\s+(?:[\w-]+\s+){0,2}?(?:infrastructure|data ?cent(?:er|re)s?|capacity|clusters?|compute|supercomputers?)\s+(?:for|to serve|to support)\s+\w".into(),
        ]);
        // "models on Azure", "workloads on AWS", "access to models through Google Cloud".
        add!(
            Cloud,
            "cloud.models_on_provider",
            View::Lower,
            &[format!(
                r"\b(?:models?|ai|llms?|agents?|workloads?|inference|applications?)\s+(?:[\w'-]+\s+){{0,2}}?(?:on|through|via|using|across)\s+(?:the\s+|its\s+|their\s+)?(?:[\w'-]+\s+){{0,2}}?{p}\b"
            ),]
        );
        // Choosing a cloud: "uses Globex Cloud", "migrating to Azure", "runs on AWS".
        add!(
            Cloud,
            "cloud.uses_provider",
            View::Lower,
            &[format!(
                r"\b(?:use|uses|using|used|migrat\w+ to|mov\w+ to|switch\w* to|standardi[sz]\w+ on|rel(?:y|ies|ied|ying) on|runs? on|running on|built on|build\w* on|hosted on|host\w* on)\s+(?:[\w'-]+\s+){{0,2}}?{p}\b"
            ),]
        );
        // Moving workloads to a provider: "migrate all of its workloads to Globex Compute".
        add!(Cloud, "cloud.migrate_workloads", View::Lower, &[
            r"\b(?:migrat\w+|mov(?:e|es|ed|ing)|shift\w*|transfer\w*|consolidat\w+)\s+(?:[\w'-]+\s+){0,4}?(?:workloads?|infrastructure|data cent(?:er|re)s?|computing|it systems|inference|training|(?:ai\s+)?models)\s+(?:[\w'-]+\s+){0,2}?(?:to|onto)\s+\S".into(),
        ]);
        // Committed spend: "has committed to spend at least $75 million on Globex Cloud
        // services" (an amount, and what it buys).
        add!(Cloud, "cloud.committed_spend", View::Lower, &[
            r"\bcommit\w*\s+(?:to\s+)?(?:spend\w*|purchas\w*|buy\w*|consum\w+)\b".into(),
            r"[$€£¥]\s?\d|\b\d[\d.,]*\s?(?:million|billion|trillion|bn|m)\b".into(),
            r"\b(?:cloud|compute|computing|capacity|infrastructure|services|platform|gpus?|tpus?|chips|data cent(?:er|re)s?)\b".into(),
        ]);
        // Getting compute: "access to one million TPUs", "purchase $30B of compute",
        // "use Globex's cloud-computing infrastructure", "supply Acme with capacity".
        add_vetoed(
            Cloud,
            "cloud.acquire_compute",
            View::Lower,
            &[format!(
                r"\b{ACQUIRE_VERB}\b(?:\s+[\w$.,'-]+){{0,8}}?\s+(?:{r}|{p}\s+(?:services|credits|resources))\b"
            )],
            &[
                // Use of funds ("use the proceeds to expand its infrastructure") is no deal.
                r"\b(?:use|uses|using|used)\s+(?:the\s+|its\s+|their\s+)?(?:net\s+)?(?:proceeds|funds|money|capital|cash|investment)\b",
                // A company description: "Globex, which rents out access to chips, is one
                // of the neoclouds".
                r",\s*which\s+[^,]{0,80},\s*(?:is|was)\s+(?:a|an|one of|the)\b",
            ],
        );
        // A provider's promise: "Globex will deliver clusters of GB300 systems to Acme"
        // (not "the chips required to deliver the capacity").
        add!(
            Cloud,
            "cloud.delivers_compute",
            View::Lower,
            &[format!(
                r"\b(?:will|would|shall|agreed to|plans to|expects to)\s+deliver\s+(?:[\w$.,'-]+\s+){{0,6}}?{r}\b"
            )]
        );
        // Paying an amount for compute: "will pay Globex $38 billion for cloud capacity".
        add!(
            Cloud,
            "cloud.pays_for_compute",
            View::Lower,
            &[format!(
                r"\b(?:pre)?pa(?:y|ys|ying|id)\s+(?:[\w'-]+\s+){{0,3}}?(?:[$€£]\s?\d[\w.,]*(?:\s+(?:billion|million|trillion|bn))?(?:\s+(?:a|per|each|every)\s+(?:year|month|quarter)|\s+annually)?|\d+(?:\.\d+)?\s?(?:%|percent)\s+of\s+(?:the\s+)?(?:contract|deal|agreement)(?:'s)?(?:\s+(?:value|price))?)\s+(?:for|on)\s+(?:[\w'-]+\s+){{0,2}}?{r}\b"
            )]
        );
        // Buying through a cloud's marketplace is distribution by that cloud: "customers buy
        // Acme models through the Globex Cloud Marketplace".
        add!(
            Cloud,
            "cloud.marketplace",
            View::Lower,
            &[format!(
                r"\b(?:buy|buys|buying|bought|purchas\w+|sell|sells|selling|sold|list|lists|listed|listing|subscrib\w+|procur\w+)\b(?:\s+[\w'-]+){{0,5}}?\s+(?:through|via|on|in|from)\s+(?:the\s+)?(?:(?:{p}|{CLOUD_PARENT}(?:'s)?(?:\s+cloud)?)|(?:[\w'-]+\s+){{0,4}}?cloud)\s+marketplaces?\b"
            ),]
        );
        // Offering something to a cloud's own customers: "bring its models to Globex Cloud
        // customers", "opens the service to Azure users".
        add!(
            Cloud,
            "cloud.to_provider_customers",
            View::Lower,
            &[format!(
                r"\b(?:bring|brings|bringing|brought|offer|offers|offering|offered|sell|sells|selling|sold|deliver|delivers|delivering|extend\w*|open|opens|opening|opened)\s+(?:[\w'-]+\s+){{0,4}}?to\s+(?:{p})\s+(?:customers|users|developers|clients|subscribers|tenants)\b"
            ),]
        );
        // Being a cloud's customer: "makes Acme one of the largest customers of Globex Cloud".
        add!(
            Cloud,
            "cloud.customer_of_provider",
            View::Lower,
            &[format!(
                r"\b(?:is|are|was|were|be|become|becomes|became|becoming|remain|remains|remained|as|one of)\s+(?:[\w'-]+\s+){{0,3}}?(?:customers?|clients?|tenants?)\s+of\s+(?:[\w'-]+\s+){{0,2}}?{p}\b"
            ),]
        );
        // A facility's chips: "a data center equipped with about 10,000 Globex GPUs". The
        // facility must be named, so a product spec ("each server holds 144 chips") is not
        // a deal.
        add!(
            Cloud,
            "cloud.equipped_with_chips",
            View::Lower,
            &[
                r"\b(?:(?:equipped|fitted|outfitted|stocked|packed|populated)\s+with|(?:house|houses|housed|housing|hold|holds|holding|contain|contains|contained|host|hosts|hosting)|(?:is|are|was|were)\s+(?:meant|designed|built|set|planned|expected)\s+to\s+(?:house|hold|contain|host))\s+(?:about\s+|some\s+|roughly\s+|nearly\s+|up to\s+|more than\s+|over\s+|as many as\s+)?(?:[\d.,]+|(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|a|one|several)\s+)?(?:hundred|thousand|million)(?:\s+(?:thousand|million))?|(?:hundreds|tens)\s+of\s+thousands|thousands|millions)\s+(?:of\s+)?(?:[\w'-]+\s+){0,3}?(?:gpus|tpus|chips|accelerators|servers|superchips|processors)\b".into(),
                r"\b(?:data cent(?:er|re)s?|campus(?:es)?|sites?|facilit(?:y|ies)|data halls?|buildings?|supercomputers?)\b".into(),
            ]
        );
        // Models built into a cloud's applications: "embed Acme models in Globex Cloud
        // Applications".
        add!(
            Cloud,
            "cloud.models_in_cloud_apps",
            View::Lower,
            &[format!(
                r"\b(?:embed|embeds|embedding|embedded|integrat\w+|build|builds|building|built)\s+(?:[\w'-]+\s+){{0,3}}?models?\s+(?:in|into)\s+(?:[\w'-]+\s+){{0,3}}?{p}\s+(?:applications|apps|suite|services)\b"
            ),]
        );
        // "use of a public cloud", "access to Globex's cloud" (not "a cloud client").
        add!(Cloud, "cloud.use_cloud", View::Lower, &[
            r"\b(?:access|accessing|use|uses|using|usage|utiliz\w+|utilis\w+)\s+(?:to\s+|of\s+)?(?:[\w'-]+\s+){0,3}?clouds?(?:\s*[.,;:]|\s+(?:and|but|or|for|to|from|by|in|while|which|that)\b|$)".into(),
        ]);
        // The provider's compute doing the work: "Globex's infrastructure will power Acme's
        // models", "X's data centers would serve as the backbone".
        add!(
            Cloud,
            "cloud.provider_infrastructure",
            View::Lower,
            &[format!(
                r"\b(?:{p}|{CLOUD_PARENT})(?:'s|')?\s+(?:[\w-]+\s+){{0,2}}?(?:infrastructure|compute|cloud|data cent(?:er|re)s|chips|capacity|servers)\s+(?:will|would|could|should|can|to|is to)\s+(?:\w+\s+)?(?:serve|power|support|underpin|run|host|help|back|enable|provide)\b"
            ),]
        );
        // Capacity quoted in power: "4.5 gigawatts of capacity", "a 1-GW partnership".
        // Needs "of <capacity/compute>" or the adjective form, so an energy comparison
        // ("one megawatt powers 200 homes") does not count.
        add!(Cloud, "cloud.power_capacity", View::Lower, &[
            r"\b(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|a|several|multiple|many|additional)[\s-]*(?:gigawatts?|gw|megawatts?|mw)\s+(?:of\s+(?:[\w'-]+\s+){0,3}?(?:capacity|compute|computing|power|data ?cent(?:er|re)|chips|gpus|tpus|ai|infrastructure|trainium\w*|systems|accelerators|processors|servers|hardware|racks)\b|(?:partnership|deal|agreement|contract|expansion|campus|cluster|site|data ?cent(?:er|re)|facility|commitment|deployment|rollout|buildout|build-out)s?\b)|\b\d[\d.,]*-(?:gigawatt|gw|megawatt|mw)\b|\b(?:gigawatts?|gw)\s+(?:is|are|was|were|will be|to be|has been|have been)\s+(?:deployed|online|built|delivered|installed|brought online)\b|\b(?:gigawatts?|gw)\s+(?:is|are|will|would)\s+(?:[\w-]+\s+){0,3}?(?:come|comes|coming|go|goes|be brought|be)\s+online\b|\b(?:gigawatts?|gw)\s+(?:comes|came|goes|went)\s+online\b|\bcapacity\s+(?:[\w-]+\s+){0,2}?(?:reaches|reached|totals|totaled|totalled|hits|exceeds|rises to|grows to|climbs to)\s+(?:about\s+|roughly\s+|nearly\s+|almost\s+|around\s+|more than\s+|over\s+|some\s+)?[\d.,]+\s*(?:gigawatts?|gw)\b|\b(?:scale|scales|scaling|grow|grows|expand|expands|ramp|ramps)\s+(?:up\s+)?to\s+(?:about\s+|roughly\s+|nearly\s+|up to\s+|more than\s+)?[\d.,]+\s*(?:gigawatts?|gw)\b".into(),
        ]);
        // A delivery schedule for capacity: "all of the capacity is targeted to be deployed
        // before the end of 2026" (a planned date, not "GPUs deployed in 2023 are obsolete").
        add!(Cloud, "cloud.deployment_schedule", View::Lower, &[
            r"\b(?:capacity|gpus|tpus|chips|accelerators|racks|systems|clusters?|gigawatts?|gw|data ?cent(?:er|re)s?)\b(?:\s+[\w'-]+){0,8}?\s+(?:(?:is|are)\s+(?:expected|scheduled|slated|targeted|set|due|planned|on track)\s+to\s+be|to\s+be|will\s+be)\s+(?:fully\s+|completely\s+)?(?:deployed|delivered|online|brought online|installed|energi[sz]ed)\s+(?:[\w'-]+\s+)??(?:by|before|in|from|starting|during|through|until)\s+(?:[\w'-]+\s+){0,5}?20\d\d\b".into(),
        ]);
        // The scope of where something may run: "API access regardless of the cloud provider".
        // Facilities let to a tenant: "the new data centers will be leased to Acme".
        add!(Cloud, "cloud.leased_facilities", View::Lower, &[
            r"\b(?:facilit(?:y|ies)|campus(?:es)?|sites?|data ?cent(?:er|re)s?|capacity|clusters?|servers?|gpus?|chips?)\b(?:,?\s+[\w'-]+){0,6}?\s+(?:leased|rented|let|sub-?leased)\s+(?:out\s+)?to\s+\w".into(),
        ]);
        // Putting capacity to work: "has begun using part of it for training and inference
        // workloads".
        add!(Cloud, "cloud.used_for_workloads", View::Lower, &[
            r"\b(?:use|uses|using|used|tap|taps|tapping|tapped)\s+(?:[\w'-]+\s+){0,4}?for\s+(?:its\s+|their\s+)?(?:ai\s+)?(?:training|inference|pre-?training)(?:\s+(?:and|or)\s+(?:training|inference))?\s+(?:workloads?|runs|jobs)\b".into(),
        ]);
        // A provider as the place models run: "Globex Cloud is where the assistant will be
        // served from".
        add!(
            Cloud,
            "cloud.provider_is_where",
            View::Lower,
            &[format!(
                r"\b(?:{p}|{r})\s+(?:is|are|will be|has become|remains)\s+where\s+(?:[\w'-]+\s+){{0,8}}?(?:served|trained|run|hosted|deployed|built)\b"
            ),]
        );
        // Committing work to a provider or its chips: "committing its largest training runs
        // to Globex accelerators".
        add!(
            Cloud,
            "cloud.commits_workloads",
            View::Lower,
            &[format!(
                r"\b(?:commit|commits|committing|committed|entrust\w*|assign\w*|dedicat\w+)\s+(?:[\w'-]+\s+){{0,4}}?(?:training runs?|workloads?|training|inference|models?)\s+to\s+(?:[\w'-]+\s+){{0,2}}?(?:{r}|{p})\b"
            ),]
        );
        // A facility for a named customer: "expanding through next year to serve Acme's
        // workloads".
        add!(Cloud, "cloud.serves_named_workloads", View::Lower, &[
            r"\bto\s+(?:serve|support|power|run|host|handle)\s+[\w-]+(?:'s|')\s+(?:[\w-]+\s+)?(?:workloads?|models?|training|inference)\b".into(),
        ]);
        // Capacity quoted in power without "of": "the new capacity, roughly 800 megawatts,
        // comes online in phases".
        add!(Cloud, "cloud.capacity_in_power", View::Lower, &[
            r"\bcapacity\b(?:,?\s+[\w'-]+){0,3}?,?\s+[\d.,]+\s*(?:gigawatts?|megawatts?|gw|mw)\b|\b(?:gigawatts?|megawatts?|gw|mw)\b,?\s+(?:[\w'-]+\s+){0,2}?(?:comes|come|coming|came|goes|go|going|went)\s+online\b".into(),
        ]);
        // Work moving onto someone's compute: "the inference side will shift to Globex's
        // data centers".
        add!(
            Cloud,
            "cloud.workloads_shift_to",
            View::Lower,
            &[format!(
                r"\b(?:training|inference|workloads?|models?)\b(?:\s+[\w'-]+){{0,6}}?\s+(?:will\s+|to\s+|would\s+)?(?:shift|move|migrate|transfer|be moved|be shifted|be migrated)\w*\s+(?:over\s+)?to\s+(?:[\w'-]+\s+){{0,2}}?(?:{r}|{p})\b"
            ),]
        );
        // Agreed spend on compute: "agreed to spend twelve billion dollars on Globex compute"
        // (not capex on one's own data centers or "AI infrastructure").
        add!(
            Cloud,
            "cloud.spend_on_compute",
            View::Lower,
            &[format!(
                r"\bspend\w*\s+(?:about\s+|roughly\s+|up to\s+|at least\s+|more than\s+|over\s+|nearly\s+|some\s+)?{AMOUNT}(?:\s+(?:dollars|euros))?\s+(?:a\s+year\s+|annually\s+|per\s+year\s+)?on\s+(?:[\w'-]+\s+){{0,2}}?(?:{p}|compute|computing (?:power|capacity)|capacity|cloud(?: services| computing| capacity)?)\b"
            ),]
        );
        // Deploying a named supplier's chips: "will deploy Globex's chips in its data centers".
        add!(Cloud, "cloud.deploys_supplier_chips", View::Lower, &[
            r"\b(?:deploy|deploys|deploying|deployed|install|installs|installing|installed)\s+(?:[\w'-]+\s+){0,3}?[\w-]+(?:'s|')\s+(?:[\w-]+\s+)?(?:chips|gpus|tpus|accelerators|processors|servers|systems|superchips)\b".into(),
        ]);
        // Served out of someone's facilities: "the models will be served from Globex's
        // facilities in Ohio".
        add!(
            Cloud,
            "cloud.served_from",
            View::Lower,
            &[format!(
                r"\b(?:served|hosted|run|trained|deployed|delivered|operated)\s+(?:out\s+of|from)\s+(?:[\w'-]+\s+){{0,3}}?(?:{r}|facilit(?:y|ies)|{p})\b"
            ),]
        );
        // Operating compute for someone: "will operate the servers on Acme's behalf".
        add!(
            Cloud,
            "cloud.operates_on_behalf",
            View::Lower,
            &[format!(
                r"\b(?:operat\w+|run|runs|running|manag\w+)\s+(?:[\w'-]+\s+){{0,3}}?{r}\s+(?:[\w'-]+\s+){{0,2}}?on\s+(?:[\w-]+(?:'s|')\s+behalf|behalf\s+of)\b"
            ),]
        );
        // A provider's compute customer: "Acme remains Globex's largest compute customer".
        add!(Cloud, "cloud.compute_customer", View::Lower, &[
            r"(?:'s|s')\s+(?:[\w-]+\s+){0,2}?(?:compute|cloud|gpu|capacity|infrastructure|hosting)\s+(?:customers?|clients?|tenants?)\b".into(),
        ]);
        // What a deal covers: "the agreement with Globex covers both training and inference".
        add!(
            Cloud,
            "cloud.deal_covers_compute",
            View::Lower,
            &[format!(
                r"\b{DEAL}\b(?:\s+[\w',-]+){{0,8}}?\s+(?:covers?|covered|covering|spans?|includes?|encompass\w*)\s+(?:both\s+)?(?:model\s+)?(?:training|inference|compute|capacity|gpus|tpus|accelerators)\b"
            ),]
        );
        // A resource dedicated to a named customer's work: "dedicate an entire data hall to
        // Acme's workloads".
        add!(Cloud, "cloud.for_named_workloads", View::Lower, &[
            r"\b(?:to|for)\s+[\w-]+(?:'s|')\s+(?:[\w-]+\s+)?(?:workloads?|training runs?|inference|training clusters?)\b".into(),
            r"\b(?:dedicat\w+|reserv\w+|set aside|allocat\w+|earmark\w*|build\w*|built|expand\w*|add\w*)\b".into(),
        ]);
        // Someone's supply of compute: "AWS is Acme's largest source of compute".
        add!(Cloud, "cloud.source_of_compute", View::Lower, &[
            r"(?:'s|s'|\bits|\btheir)\s+(?:[\w-]+\s+){0,2}?(?:sources?|suppliers?)\s+of\s+(?:[\w-]+\s+)?(?:compute|computing power|capacity|gpus|tpus|chips|accelerators|ai infrastructure)\b".into(),
        ]);
        // A provider as the subject of hosting: "Globex Cloud will host the service".
        add!(
            Cloud,
            "cloud.provider_will_host",
            View::Lower,
            &[format!(
                r"\b{p}\s+(?:will|would|is to|shall|is set to|agreed to)\s+(?:also\s+)?(?:host|run|serve|power|train|operate)\b"
            ),]
        );
        // Compute made available to a party: "make thousands of GPUs available to Acme".
        add!(
            Cloud,
            "cloud.compute_available_to",
            View::Lower,
            &[format!(
                r"\b{r}\s+(?:(?:are|is|will be|would be)\s+)?(?:made\s+)?available\s+to\s+\w"
            ),]
        );
        // Renting or occupying compute: "one of the biggest renters of Globex GPUs", "the
        // anchor tenant of the new Globex data center".
        add!(
            Cloud,
            "cloud.tenant_of_compute",
            View::Lower,
            &[format!(
                r"\b(?:renters?|lessees?|tenants?)\s+(?:of|at|in)\s+(?:[\w'-]+\s+){{0,3}}?(?:{r}|{p})\b"
            ),]
        );
        // Work split across providers: "its inference fleet is split between Globex Cloud
        // and Initech Cloud".
        add!(
            Cloud,
            "cloud.split_between_providers",
            View::Lower,
            &[format!(
                r"\b(?:split|divided|spread|shared)\s+(?:between|among|across)\s+(?:[\w'-]+\s+){{0,2}}?{p}\b"
            ),]
        );
        // Hosted by a provider: "Globex's new systems hosted by Initech Cloud".
        add!(
            Cloud,
            "cloud.hosted_by_provider",
            View::Lower,
            &[format!(
                r"\b(?:hosted|operated|run|served|provided|supplied|powered|trained)\s+by\s+(?:[\w'-]+\s+){{0,2}}?{p}\b"
            ),]
        );
        // Renting from a provider: "rather than renting it from a hyperscaler".
        add!(
            Cloud,
            "cloud.rents_from_provider",
            View::Lower,
            &[format!(
                r"\b(?:rent|rents|renting|rented|leas(?:e|es|ed|ing)|buy|buys|buying|bought)\s+(?:[\w'-]+\s+){{0,3}}?from\s+(?:a\s+|an\s+|the\s+)?(?:[\w'-]+\s+)?(?:hyperscalers?|neoclouds?|cloud (?:providers?|vendors?|companies)|{p})\b"
            ),]
        );
        // "with Globex Cloud as its main provider".
        add!(
            Cloud,
            "cloud.provider_as_main",
            View::Lower,
            &[format!(
                r"\b{p}\s+as\s+(?:its|their|the|our)\s+(?:main|primary|preferred|principal|sole|lead|chief)\s+(?:[\w-]+\s+)?(?:provider|partner|supplier|host|vendor)\b"
            ),]
        );
        add!(Cloud, "cloud.regardless_of_provider", View::Lower, &[
            r"\b(?:regardless|irrespective|independent(?:ly)?)\s+of\s+(?:the\s+|which\s+|its\s+)?(?:cloud|compute|hosting|infrastructure)\s+(?:providers?|platforms?|vendors?|partners?)\b".into(),
        ]);
        // Chips placed in someone's facility: "accelerators installed in Globex's halls".
        add!(Cloud, "cloud.hosted_hardware", View::Lower, &[
            r"\b(?:gpus?|tpus?|chips?|accelerators?|servers?|ultraservers?)\b(?:\s+[\w'-]+){0,3}?\s+(?:hosted|deployed|installed|housed|located)\s+(?:in|on|at)\b".into(),
        ]);
        // Availability on clouds: "available through Google Cloud", "across all major clouds".
        add!(
            Cloud,
            "cloud.available_on",
            View::Lower,
            &[format!(
                r"\b(?:available|availability|offered|sold|accessible|integrated|added)\s+(?:[\w'-]+\s+){{0,3}}?(?:on|in|through|via|across|to)\s+(?:[\w'-]+\s+){{0,6}}?(?:{p}|clouds|cloud\s+(?:platforms?|marketplaces?|services|providers))\b"
            ),]
        );
        // On a cloud: "hosted on Globex's cloud platform", "via its cloud infrastructure".
        add!(Cloud, "cloud.on_cloud", View::Lower, &[
            r"\b(?:on|onto|using|via|through|from)\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w'-]+\s+){0,3}?cloud(?:[- ]computing)?\s+(?:servers?|platforms?|infrastructure|capacity|compute|resources|environment)\b".into(),
        ]);
        // Models built on someone's cloud: "the next models will be based on Globex's models
        // and cloud technology" (a named owner, so no self-description).
        add!(Cloud, "cloud.models_based_on_cloud", View::Lower, &[
            r"\bmodels?\b(?:\s+[\w'-]+){0,4}?\s+(?:based on|built on|powered by|running on|run on)\s+[\w-]+(?:'s|')\s+(?:[\w'-]+\s+){0,3}?cloud\s+(?:technology|technologies|infrastructure|platform)\b".into(),
        ]);
        // A cloud selling/hosting someone's models: "salespeople in its Azure unit sell X models".
        add!(Cloud, "cloud.sells_models", View::Lower, &[
            format!(r"\b(?:{p}|cloud providers?)\b"),
            r"\b(?:sell|sells|selling|sold|resell\w*|offer|offers|offering|distribut\w+|host|hosts|hosting)\b(?:\s+[\w'-]+){0,4}?\s+(?:models?|software|llms?|apis?)\b".into(),
        ]);

        // --- revenue_share -----------------------------------------------------------
        add!(RevenueShare, "revenue_share.named", View::Revenue, &[
            r"\brevenue[- ]?shar(?:e|es|ed|ing)\b|\brev[- ]share\b|\b(?:gross[- ])?(?:profit|profits|earnings|income)[- ]shar(?:e|es|ing)\b|\brevenue\s+(?:or|and|/)\s+profit[- ]shar".into(),
        ]);
        // "its share of robot sales", "keeps 30% of net profit", "sharing revenue with".
        add!(RevenueShare, "revenue_share.share_of", View::Revenue, &[
            r"\bshar(?:e|es|ed|ing)\s+(?:of\s+|in\s+)?(?:[\w%'-]+\s+){0,3}?(?:revenues?|sales|profits?|proceeds|income|earnings|gross profit|margins?)\b".into(),
        ]);
        // "a portion of Acme's revenue", "a cut of sales", "a percentage of profits".
        add!(RevenueShare, "revenue_share.portion_of", View::Revenue, &[
            r"\b(?:portion|percentage|cut|slice|fraction)\s+of\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?(?:revenues?|sales|profits?|proceeds)\b".into(),
        ]);
        // "pays 20% of revenue", "amount to one-tenth of its revenue" (concentration masked).
        add!(RevenueShare, "revenue_share.fraction_of", View::Revenue, &[
            r"(?:\b\d+(?:\.\d+)?\s?(?:%|percent\b|per cent\b)|\b(?:one-tenth|a tenth|one-fifth|a fifth|a quarter|one-quarter|a third|one-third|half))\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:[\w'-]+\s+){0,3}?(?:revenues?|sales|profits?|gross profit|proceeds)\b".into(),
        ]);
        // A cut of customers' spend: "keeps 15% of every dollar customers spend through it".
        add!(RevenueShare, "revenue_share.cut_of_spend", View::Revenue, &[
            r"\b(?:keep|keeps|kept|retain\w*|take|takes|took|get|gets|receiv\w+|collect\w*|pay|pays|paid)\s+(?:about\s+|roughly\s+|up to\s+|around\s+)?\d+(?:\.\d+)?\s?(?:%|percent|per cent)\s+of\s+(?:every|each|all)\s+(?:dollars?|sales?|subscriptions?|transactions?|purchases?|tokens?)\b".into(),
        ]);
        // Payouts to partners are how revenue shares are paid ("partner payouts").
        add!(
            RevenueShare,
            "revenue_share.partner_payouts",
            View::Revenue,
            &[
                r"\b(?:partner|provider|reseller|distributor|distribution|referral)\s+payouts?\b"
                    .into(),
            ]
        );
        // "split the revenue", "a 70/30 revenue split".
        add!(RevenueShare, "revenue_share.split", View::Revenue, &[
            r"\bsplit\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}?(?:revenues?|profits?|proceeds|sales)\b|\b(?:revenue|profit|sales)\s+split\b|\b(?:revenues?|profits?|proceeds|sales)\s+(?:[\w'-]+\s+){0,4}?(?:will|would|is|are|to)\s+(?:be\s+)?split\b".into(),
        ]);

        // "not exclusive ... will offer its models on other platforms": where models are
        // served is the cloud side of an exclusivity.
        let cloud_party = re(&format!(
            r"\b(?:{p}|{CLOUD_PARENT}|clouds?|cloud[- ]computing|compute|{r})\b|\b(?:bedrock|vertex ai|foundry)\b|\bmodels?\s+(?:on|through|via|across)\s+(?:other|rival|competing|multiple|third-party|all major)\s+platforms\b"
        ));
        // Hosting verbs name the exclusive party as a host: "hosted exclusively on Globex".
        let cloud_party_strong = re(&format!(
            r"\b(?:{p}|clouds?|cloud[- ]computing|compute|{r})\b|\b(?:bedrock|vertex ai|foundry)\b|\b(?:hosted|served|deployed|run|trained)\s+(?:only\s+|solely\s+)?(?:exclusively\s+)?(?:on|by|in)\b"
        ));
        let compile =
            |p: &String| Regex::new(&format!("(?i){p}")).map_err(|e| (p.clone(), e.to_string()));
        let mut compiled = Vec::new();
        for c in custom.iter().filter(|c| !c.name.is_empty()) {
            let literal = c.patterns.is_empty() && !Builtin::is_builtin_name(&c.name);
            let mut patterns = c
                .patterns
                .iter()
                .map(compile)
                .collect::<Result<Vec<_>, _>>()?;
            if literal {
                let words: Vec<String> = c
                    .name
                    .split(['_', ' ', '-'])
                    .filter(|w| !w.is_empty())
                    .map(regex::escape)
                    .collect();
                patterns.push(re(&format!(r"(?i)\b{}\b", words.join(r"[\s_-]+"))));
            }
            compiled.push(CompiledCustom {
                name: c.name.clone(),
                patterns,
                exclude: c
                    .exclude
                    .iter()
                    .map(compile)
                    .collect::<Result<Vec<_>, _>>()?,
                literal,
            });
        }
        Ok(TopicRules {
            rules,
            cloud_party,
            cloud_party_strong,
            custom: compiled,
        })
    }

    /// The topics of one sentence (built-in and custom), sorted and without duplicates.
    pub fn topics(&self, sentence: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .explain(sentence)
            .into_iter()
            .map(|h| h.topic)
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Every rule that fires on `sentence`, in rule order.
    pub fn explain(&self, sentence: &str) -> Vec<RuleHit> {
        let views = Views::new(sentence);
        let mut hits = Vec::new();
        for rule in &self.rules {
            let text = views.get(rule.view);
            if rule.all.iter().all(|r| r.is_match(text))
                && !rule.none.iter().any(|r| r.is_match(text))
            {
                hits.push(RuleHit {
                    topic: rule.topic.name().to_owned(),
                    rule: rule.name,
                });
            }
        }
        // Exclusivity about a cloud party is a cloud term too ("Globex Cloud keeps sole
        // hosting rights", "Acme buys compute only from Globex, exclusively").
        let exclusive = hits.iter().any(|h| h.topic == Builtin::Exclusivity.name());
        let cloud = hits.iter().any(|h| h.topic == Builtin::Cloud.name());
        // But an exclusive licence to IP held by a company that also owns a cloud
        // ("Microsoft's exclusive license to Acme's models") says nothing about hosting.
        let cloud_party = self.cloud_party_strong.is_match(&views.lower)
            || (self.cloud_party.is_match(&views.lower) && !IP_LICENCE.is_match(&views.lower));
        if exclusive && !cloud && cloud_party {
            hits.push(RuleHit {
                topic: Builtin::Cloud.name().to_owned(),
                rule: "cloud.exclusive_cloud_party",
            });
        }
        for c in &self.custom {
            if c.exclude.iter().any(|r| r.is_match(&views.cased)) {
                // The user's exclusion vetoes built-in rules of that name as well.
                hits.retain(|h| h.topic != c.name);
                continue;
            }
            if c.patterns.iter().any(|r| r.is_match(&views.cased)) {
                hits.push(RuleHit {
                    topic: c.name.clone(),
                    rule: if c.literal {
                        "custom.literal"
                    } else {
                        "custom.pattern"
                    },
                });
            }
        }
        hits
    }
}

/// The normalised forms of one sentence the rules look at.
struct Views {
    cased: String,
    lower: String,
    exclusivity: String,
    revenue: String,
}

impl Views {
    fn new(sentence: &str) -> Views {
        let cased = normalize(sentence);
        let lower = ROLE_CAPACITY
            .replace_all(&cased.to_lowercase(), "role as")
            .into_owned();
        let exclusivity = EXCLUSIVE_FALSE_FRIENDS
            .replace_all(&lower, " ")
            .into_owned();
        let revenue = REVENUE_CONCENTRATION.replace_all(&lower, " ").into_owned();
        Views {
            cased,
            lower,
            exclusivity,
            revenue,
        }
    }

    fn get(&self, view: View) -> &str {
        match view {
            View::Lower => &self.lower,
            View::Exclusivity => &self.exclusivity,
            View::Revenue => &self.revenue,
            View::Cased => &self.cased,
        }
    }
}

/// NFKC, straight apostrophes, ASCII hyphens, no double quotes, single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkc() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' | '\u{2032}' | '\u{b4}' | '`' => {
                out.push('\'')
            }
            '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{2033}' | '\u{ab}'
            | '\u{bb}' => {}
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => out.push('-'),
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    /// The built-in rules, compiled once for all tests.
    static BUILTIN: std::sync::LazyLock<super::TopicRules> =
        std::sync::LazyLock::new(|| super::TopicRules::new(&[]).expect("built-in rules compile"));

    use super::*;

    fn t(s: &str) -> Vec<String> {
        TopicRules::new(&[])
            .expect("built-in rules compile")
            .topics(s)
    }

    fn has(s: &str, topic: &str) -> bool {
        t(s).iter().any(|x| x == topic)
    }

    #[test]
    fn capacity_schedules_and_payments() {
        for s in [
            "Globex intends to invest up to $2 billion in Acme as each gigawatt comes online.",
            "The first gigawatt is scheduled to be deployed in the second half of 2027 on Globex systems.",
            "Initech is building custom accelerators with Acme, with 3 gigawatts of racks to be deployed from late 2027.",
            "With the new campus, Acme and Globex's combined capacity reaches nearly 4 gigawatts.",
            "All of the capacity is targeted to be deployed before the end of 2027.",
            "The racks will use Initech networking gear and are expected to be fully deployed by the end of 2029.",
            "Acme agreed to prepay roughly 15% of the contract value for the GPU capacity.",
            "Acme is expected to pay Globex about $9 billion a year for the capacity, according to earlier reporting.",
            "Acme will be able to give public-sector customers API access regardless of the cloud provider.",
            "The next Acme models will be based on Globex's models and cloud technology, the statement said.",
            "Acme announced a joint venture with Globex to build up to $50 billion of AI infrastructure.",
        ] {
            assert!(has(s, "cloud"), "{s}");
        }
        for s in [
            "Analysts said most of the servers sold in 2023 will be replaced by 2030.",
            "Acme said it would pay its employees a bonus for the year.",
            "Acme is a company that builds on cloud technology for retailers.",
            "Globex's revenue reached $4 billion in 2027, up 30%.",
        ] {
            assert!(!has(s, "cloud"), "{s}");
        }
        // An exclusivity that scopes where models are offered is a hosting term too.
        let s = "The partnership is not exclusive, and Acme will continue to offer its models on other platforms.";
        assert!(has(s, "exclusivity") && has(s, "cloud"), "{s}");
    }

    #[test]
    fn exclusivity_positives() {
        for s in [
            "Globex becomes the exclusive reseller of Acme's models in Europe.",
            "The licence is non-exclusive and ends in 2030.",
            "Acme's exclusivity with Globex ends next year.",
            "Initech will be the sole supplier of chips to Acme.",
            "Globex holds a right of first refusal on new capacity contracts.",
            "New Acme models will launch first on Globex Cloud's platform.",
            "Globex, the only provider that may resell Acme software, welcomed the news.",
        ] {
            assert!(has(s, "exclusivity"), "{s}");
        }
    }

    #[test]
    fn exclusivity_false_friends() {
        for s in [
            "In an exclusive interview, Acme's chief discussed the quarter.",
            "Exclusive: Acme weighs a sale of its robot unit.",
            "Members get exclusive analysis every Friday.",
            "The two goals are mutually exclusive, the analyst said.",
            "Acme joins an exclusive club of trillion-dollar firms.",
        ] {
            assert!(!has(s, "exclusivity"), "{s}");
        }
    }

    #[test]
    fn exclusivity_about_a_cloud_is_also_cloud() {
        let got = t("Globex Cloud will be the exclusive host of the Acme chatbot.");
        assert_eq!(got, vec!["cloud", "exclusivity"]);
    }

    #[test]
    fn cloud_positives() {
        for s in [
            "From March, Globex Cloud is Acme's primary cloud provider for its robot fleet.",
            "Acme plans to train its next robot models on Globex's custom chips.",
            "Acme agreed to purchase $12 billion of Azure compute over six years.",
            "Under the contract Acme may tap as many as 400,000 GPUs in Ohio.",
            "Acme's robot models can now be found in Vertex AI.",
            "Globex signed a $4 billion cloud deal with Initech.",
            "The pact includes 2 gigawatts of capacity starting in 2027.",
            "Acme's search workloads will run on Azure from next month.",
            "Acme and Initech signed a seven-year, $9 billion agreement with cloud provider Globex.",
            "Customers can use Acme's models in Amazon Bedrock.",
        ] {
            assert!(has(s, "cloud"), "{s}");
        }
    }

    #[test]
    fn cloud_negatives() {
        for s in [
            "Globex is one of the largest cloud companies in the world.",
            "Cloud revenue rose 21% to $5.6 billion in the quarter.",
            "Every big cloud provider wants a piece of the robot market.",
            "Shares of Acme rose 4% after the announcement.",
            "In her capacity as board chair, she will lead the search.",
            "Analysts say the cloud market is getting more competitive.",
        ] {
            assert!(!has(s, "cloud"), "{s}");
        }
    }

    #[test]
    fn revenue_share_positives_and_negatives() {
        for s in [
            "Acme pays Globex a revenue share on every model sold.",
            "The profit-sharing agreement is capped at $92 billion.",
            "Globex collects a portion of Acme's licensing revenue until 2030.",
            "Acme will pay 20% of its revenue to Globex.",
            "Resellers keep their share of robot sales under the plan.",
        ] {
            assert!(has(s, "revenue_share"), "{s}");
        }
        for s in [
            "Last year Globex alone accounted for 48% of Acme's sales.",
            "Acme's revenue grew to $2 billion.",
            "Acme's market share rose to 30%.",
        ] {
            assert!(!has(s, "revenue_share"), "{s}");
        }
    }

    #[test]
    fn generalized_phrasings() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        let cloud = vec!["cloud".to_string()];
        let excl_cloud = vec!["cloud".to_string(), "exclusivity".to_string()];
        for s in [
            "Under the pact, Globex will deliver dedicated clusters of GB300 systems to Acme.",
            "Acme has contracted an incremental $9 billion of Azure services over six years.",
            "Acme's robot models are now available on all three of the biggest cloud services.",
            "Acme has selected Globex as its preferred cloud for training its next models.",
            "Acme will run its largest pre-training jobs on a dedicated Globex cluster in Utah.",
            "Acme has since signed compute contracts with Globex and Initech.",
            "Globex will build out dedicated infrastructure for Acme in two states.",
            "The two firms will tune future chips for Acme workloads.",
            "The Utah site could scale to 1.5 gigawatts within two years.",
            "Acme will pay Globex $12 billion for cloud capacity over five years.",
            "Globex remains Acme's primary cloud and training partner.",
        ] {
            assert_eq!(t(s), cloud, "{s}");
        }
        assert_eq!(
            t("Acme's robot models will be hosted exclusively on Globex for 90 days."),
            excl_cloud
        );
        assert_eq!(
            t("Other Acme products may be served on any cloud provider."),
            excl_cloud
        );
        // An exclusive IP licence held by a cloud's parent is not a hosting term.
        assert_eq!(
            t("Microsoft's license to Acme's models is non-exclusive after 2032."),
            vec!["exclusivity".to_string()]
        );
        for s in [
            "Revenue from the robot store will be split, with Globex keeping a larger part.",
            "Under the program, Globex keeps 15% of every dollar customers spend on Acme software.",
        ] {
            assert_eq!(t(s), vec!["revenue_share".to_string()], "{s}");
        }
        // False friends: self-descriptions, workforce training, debt for chips, commentary.
        for s in [
            "Globex, which rents out access to GPUs, is one of the so-called neoclouds.",
            "Globex is training two million workers on Azure skills this year.",
            "Globex will need debt to pay for the chips required to deliver the capacity.",
            "Analysts fret as long-dated compute commitments accelerate across the sector.",
            "Globex's share of cloud infrastructure spending was 22% last quarter.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn custom_topics_match_literally() {
        let rules = TopicRules::new(&[super::super::CustomTopic {
            name: "data_center".to_owned(),
            ..Default::default()
        }])
        .expect("compiles");
        assert!(
            rules
                .topics("Acme opens a data center in Ohio.")
                .contains(&"data_center".to_owned())
        );
        assert!(rules.topics("Acme opens an office.").is_empty());
    }
    #[test]
    fn only_provider_migration_and_committed_spend() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        assert_eq!(
            t(
                "Until 2031, Hooli Cloud will be the only cloud provider on which the joint product is sold."
            ),
            vec!["cloud".to_string(), "exclusivity".to_string()]
        );
        assert_eq!(
            t("Initech will migrate nearly all of its workloads to Globex Compute by 2029."),
            vec!["cloud".to_string()]
        );
        assert_eq!(
            t(
                "Acme has committed to spend at least $40 million on Hooli Platform services over four years."
            ),
            vec!["cloud".to_string()]
        );
        // Not a deal: moving offices, or committing to spend on marketing without an amount.
        assert!(t("Acme will move its headquarters to Denver next year.").is_empty());
        assert!(t("Acme committed to spend more on marketing.").is_empty());
    }

    #[test]
    fn ip_rights_with_a_term_or_scope_are_exclusivity() {
        let rules = &*BUILTIN;
        let t = |s: &str| rules.topics(s);
        assert_eq!(
            t(
                "Globex's IP rights to Acme's models are extended through 2031 and now include later model generations."
            ),
            vec!["exclusivity".to_string()]
        );
        assert_eq!(
            t("Initech holds a licence to Acme's models until the partnership ends."),
            vec!["exclusivity".to_string()]
        );
        // Rights talk without a term or scope, or about people, is not a clause.
        assert!(t("Acme's lawyers discussed IP rights at a conference.").is_empty());
        assert!(t("Acme renewed its office lease through 2030.").is_empty());
    }

    #[test]
    fn a_product_spec_is_not_a_facility_deal() {
        let rules = &*BUILTIN;
        assert!(
            rules
                .topics("Each Globex rack holds 72 chips and ships in the spring.")
                .is_empty()
        );
    }

    #[test]
    fn custom_patterns_and_exclusions() {
        use super::super::CustomTopic;
        let rules = TopicRules::new(&[
            CustomTopic {
                name: "board_seat".into(),
                patterns: vec![r"\bboard (?:seat|observer)\b".into()],
                exclude: vec![r"\bformer\b".into()],
            },
            // Narrow a built-in topic: drop sentences about a named marketplace.
            CustomTopic {
                name: "cloud".into(),
                patterns: vec![r"\bAcmeStack\b".into()],
                exclude: vec![r"\bhooli marketplace\b".into()],
            },
        ])
        .expect("compiles");
        assert_eq!(
            rules.topics("Globex gains a board seat at Acme."),
            vec!["board_seat".to_string()]
        );
        assert!(
            rules
                .topics("A former board observer left Acme.")
                .is_empty()
        );
        assert_eq!(
            rules.topics("Acme will run its workloads on AcmeStack."),
            vec!["cloud".to_string()]
        );
        assert!(
            rules
                .topics("Acme named Globex its primary cloud provider via the Hooli Marketplace.")
                .is_empty()
        );
        assert!(
            TopicRules::new(&[CustomTopic {
                name: "x".into(),
                patterns: vec!["(unclosed".into()],
                exclude: vec![],
            }])
            .is_err()
        );
    }

    #[test]
    fn normalize_quotes_and_dashes() {
        assert_eq!(
            normalize("AWS\u{2019} \u{201c}primary\u{201d} \u{2014} x"),
            "AWS' primary - x"
        );
    }

    #[test]
    fn explain_names_rules() {
        let hits = TopicRules::new(&[])
            .expect("built-in rules compile")
            .explain("Acme's primary cloud provider is Globex.");
        assert!(hits.iter().any(|h| h.rule == "cloud.provider_role"));
    }
    #[test]
    fn more_relationship_phrasings() {
        for (s, topic) in [
            (
                "The licence is non-exclusive: Initech may also resell the models.",
                "exclusivity",
            ),
            (
                "Globex Cloud was the first cloud other than Acme's own site to offer the model.",
                "exclusivity",
            ),
            (
                "The first gigawatt is expected to come online in late 2027 on Globex's new systems.",
                "cloud",
            ),
            (
                "The contract runs for several years and covers Globex data center capacity.",
                "cloud",
            ),
            (
                "Shoppers who buy Acme's tools through the Globex Cloud Marketplace are billed monthly.",
                "cloud",
            ),
            (
                "We are happy to bring Acme Chat to Globex Cloud customers this spring.",
                "cloud",
            ),
            (
                "The deal would make Acme one of the biggest customers of Globex Cloud.",
                "cloud",
            ),
            (
                "The site in Lyon is a hall equipped with about 8,000 Initech GPUs.",
                "cloud",
            ),
            (
                "Globex will embed Acme models in Globex Cloud Applications next year.",
                "cloud",
            ),
        ] {
            assert!(has(s, topic), "{topic}: {s}");
        }
        for s in [
            "Exclusive: Acme weighs a sale of its robot unit.",
            "Reuters exclusive: Acme weighs a sale.",
            "Want exclusive early access to new releases on your cloud of choice?",
            "Sign up for exclusive updates on our launches.",
            "Acme is a cloud company at heart: we run our inference stack on our own racks.",
            "The outage hit shoppers in Ohio for several years of reports.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn facilities_workloads_and_worded_amounts() {
        for (s, topic) in [
            (
                "Globex will build the new facilities, which will be leased to Acme over several years.",
                "cloud",
            ),
            (
                "Acme has begun using part of the site for training and inference workloads.",
                "cloud",
            ),
            (
                "Globex Cloud is where most of Acme's assistant will be served from.",
                "cloud",
            ),
            (
                "By committing its largest training runs to Globex accelerators, Acme backs the chip.",
                "cloud",
            ),
            (
                "The campus will keep expanding through next year to serve Acme's workloads.",
                "cloud",
            ),
            (
                "Unlike rivals, Acme owns its hardware rather than renting it from a hyperscaler.",
                "cloud",
            ),
            (
                "The Initech platform runs on public clouds, with Globex Cloud as its main provider.",
                "cloud",
            ),
            (
                "Acme previously signed a deal of more than ten billion dollars with Globex Cloud for servers.",
                "cloud",
            ),
            (
                "The Lyon campus will house more than four hundred thousand Initech processors.",
                "cloud",
            ),
            (
                "A second site is meant to hold hundreds of thousands of Initech chips.",
                "cloud",
            ),
            (
                "Its models are trained and served on a mix of Globex accelerators and Initech GPUs.",
                "cloud",
            ),
            (
                "Acme also sells through Initech and the large cloud marketplaces.",
                "cloud",
            ),
            (
                "Acme can now sign capacity deals with other clouds without first offering the work to Globex.",
                "exclusivity",
            ),
        ] {
            assert!(has(s, topic), "{topic}: {s}");
        }
        for s in [
            "The office floors were leased to a law firm last spring.",
            "Acme uses the cafeteria for team lunches.",
            "The stadium will hold more than fifty thousand fans.",
            "Acme raised ten billion dollars from investors.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn shifts_spend_deployments_and_dedicated_capacity() {
        for s in [
            "The new capacity, roughly 800 megawatts, comes online in phases starting next spring.",
            "The inference side of the business will shift to Initech's data centers by year end.",
            "Acme is moving some of its inference to Globex Cloud, diversifying beyond Initech.",
            "Acme agreed to spend twelve billion dollars on Globex compute over five years.",
            "Acme will deploy Globex's chips in its own data centers starting next year.",
            "The models will be served from Globex's facilities in Ohio and Texas.",
            "The two firms agreed that Globex will operate the servers on Acme's behalf.",
            "Acme remains Globex's largest compute customer.",
            "Acme's agreement with Globex runs through 2030 and covers both training and inference.",
            "Globex will dedicate an entire data hall to Acme's workloads.",
        ] {
            assert!(has(s, "cloud"), "cloud: {s}");
        }
        for s in [
            "Acme will spend eighty billion dollars on new offices this year.",
            "Globex was Initech's largest customer before the deal.",
            "The agreement covers both marketing and sales.",
            "Acme moved its headquarters to Austin.",
            "Initech deployed its best salespeople in Europe.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }

    #[test]
    fn sources_tenants_and_hosting_providers() {
        for s in [
            "Globex Cloud is Acme's largest source of compute.",
            "Globex Cloud will host the service, the companies said.",
            "Globex will make thousands of GPUs available to Acme over the next year.",
            "The arrangement lets Acme draw on Globex Cloud capacity when demand spikes.",
            "The startup is one of the biggest renters of Initech GPUs in the world.",
            "Acme will be the anchor tenant of the new Globex data center in Texas.",
            "Acme's inference fleet is split between Globex Cloud and Initech Cloud.",
            "Acme is the first customer for Initech's new systems hosted by Globex Cloud.",
        ] {
            assert!(has(s, "cloud"), "cloud: {s}");
        }
        for s in [
            "Globex is Acme's largest source of revenue growth.",
            "The anchor tenant of the mall is a grocery chain.",
            "Acme drew on its experience in retail.",
            "The new office will be made available to staff in May.",
        ] {
            assert!(t(s).is_empty(), "{s}: {:?}", t(s));
        }
    }
}
