"""A large synthetic content pack in the same layout and schema as content/.

Deterministic for a given seed: the same pack every run, so figures compare across runs.
"""

import random
from dataclasses import dataclass
from pathlib import Path

import yaml

ROLES = 60
MODULES = 120
TOPICS_PER_MODULE = 50
PREREQUISITE_EDGES = 12_000
PROJECT_IDEAS = 600
QUESTIONS_PER_TOPIC = 4
# Every DIFFUSION_EVERY-th title mentions diffusion, so the search page has results.
DIFFUSION_EVERY = 20

CATEGORIES = ["technical", "data", "creative", "soft", "domain", "ethics"]
FOCUSES = ["research", "engineering", "data", "product", "governance"]
SENIORITIES = ["entry", "mid", "senior", "leadership"]
LEVELS = ["beginner", "intermediate", "advanced"]
RESOURCE_KINDS = ["course", "book", "article", "video", "paper", "documentation", "tool"]
INDUSTRIES = ["Technology", "Healthcare", "Finance", "Education", "Media", "Retail", "Legal"]
SUBJECTS = [
    "attention",
    "tokenisation",
    "embeddings",
    "evaluation",
    "retrieval",
    "fine-tuning",
    "quantisation",
    "alignment",
    "data pipelines",
    "prompt design",
    "vector search",
    "model serving",
    "transformers",
    "regularisation",
    "optimisers",
    "red teaming",
]
ANGLES = ["foundations", "in practice", "at scale", "trade-offs", "case studies", "pitfalls"]
# The C dumper when libyaml is installed: the same YAML, written much faster.
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class PackSize:
    roles: int = ROLES
    modules: int = MODULES
    topics_per_module: int = TOPICS_PER_MODULE
    prerequisite_edges: int = PREREQUISITE_EDGES
    project_ideas: int = PROJECT_IDEAS

    @property
    def topics(self) -> int:
        return self.modules * self.topics_per_module


def module_slug(index: int) -> str:
    return f"bench-module-{index:03d}"


def topic_slug(module_index: int, topic_index: int) -> str:
    return f"bench-m{module_index:03d}-topic-{topic_index:02d}"


def role_slug(index: int) -> str:
    return f"bench-role-{index:02d}"


def project_slug(index: int) -> str:
    return f"bench-project-{index:03d}"


def _title(rng: random.Random, index: int, kind: str) -> str:
    subject = rng.choice(SUBJECTS)
    if index % DIFFUSION_EVERY == 0:
        subject = "diffusion models"
    return f"{subject.capitalize()} {rng.choice(ANGLES)} ({kind} {index})"


def _paragraphs(rng: random.Random, title: str, count: int) -> str:
    sentences = [
        f"This covers {title.lower()} and why it matters for generative AI work.",
        f"You will practise {rng.choice(SUBJECTS)} and {rng.choice(SUBJECTS)} on real examples.",
        "Expect to read a short paper, write some code and explain the result to a colleague.",
        f"The **key idea** links {rng.choice(SUBJECTS)} to {rng.choice(SUBJECTS)}.",
        "By the end you should be able to decide when to use it and when not to.",
    ]
    return "\n\n".join(" ".join(rng.sample(sentences, 3)) for _ in range(count)) + "\n"


def prerequisite_counts(caps: list[int], edges: int) -> list[int]:
    """How many prerequisites each topic (in global order) gets: about edges/topics each,
    never more than its cap (the topics before it in its module), adding up to `edges`
    when the caps allow."""
    base = edges // len(caps)
    counts = [min(base, cap) for cap in caps]
    missing = edges - sum(counts)
    while missing > 0:
        spare = [index for index in range(len(caps) - 1, -1, -1) if counts[index] < caps[index]]
        if not spare:
            break
        for index in spare[:missing]:
            counts[index] += 1
        missing = edges - sum(counts)
    return counts


def pack_write(path: Path, size: PackSize = PackSize(), seed: int = 1) -> dict:
    """Write roles.yaml, modules/NNN-<slug>.yaml and projects.yaml under `path`;
    return the number of each kind of entry written."""
    rng = random.Random(seed)
    modules_dir = path / "modules"
    modules_dir.mkdir(parents=True, exist_ok=True)
    for stale in modules_dir.glob("*.yaml"):
        stale.unlink()
    questions_dir = path / "questions"
    questions_dir.mkdir(parents=True, exist_ok=True)
    for stale in questions_dir.glob("*.yaml"):
        stale.unlink()
    question_count = 0

    slugs = [topic_slug(m, t) for m in range(size.modules) for t in range(size.topics_per_module)]
    # Prerequisites stay inside their module, so every role's path stays inside the
    # modules it lists (the content pack refuses a path that leaves them).
    caps = [t for _ in range(size.modules) for t in range(size.topics_per_module)]
    counts = prerequisite_counts(caps, size.prerequisite_edges)
    edges = 0
    for module_index in range(size.modules):
        topics = []
        for topic_index in range(size.topics_per_module):
            position = module_index * size.topics_per_module + topic_index
            # Prerequisites only point to earlier topics, so the graph is acyclic;
            # the previous topic of the module first, then any earlier one of the module.
            chosen: list[str] = []
            if topic_index and counts[position]:
                chosen.append(slugs[position - 1])
            while len(chosen) < counts[position]:
                candidate = slugs[rng.randrange(position - topic_index, position)]
                if candidate not in chosen:
                    chosen.append(candidate)
            edges += len(chosen)
            title = _title(rng, position, "topic")
            topics.append(
                {
                    "slug": slugs[position],
                    "title": title,
                    "description": _paragraphs(rng, title, 2),
                    "hours": rng.randint(1, 20),
                    "level": LEVELS[topic_index * len(LEVELS) // size.topics_per_module],
                    "prerequisites": chosen,
                    "resources": [
                        {
                            "title": f"Reading for {title}",
                            "url": f"https://example.com/bench/{slugs[position]}",
                            "kind": rng.choice(RESOURCE_KINDS),
                            "free": rng.random() < 0.7,
                        }
                    ],
                }
            )
        title = _title(rng, module_index, "module")
        module = {
            "slug": module_slug(module_index),
            "title": title,
            "category": CATEGORIES[module_index % len(CATEGORIES)],
            "summary": _paragraphs(rng, title, 1).strip(),
            "order": (module_index + 1) * 10,
            "topics": topics,
        }
        _dump(modules_dir / f"{module_index + 1:03d}-{module['slug']}.yaml", module)
        questions = [
            {
                "slug": f"{topic['slug']}-{n}",
                "topic": topic["slug"],
                "prompt": f"Which statement about {topic['title'].lower()} holds (case {n})?",
                "options": [
                    {"text": f"Statement {letter} about case {n}", "correct": True}
                    if letter == "ABCD"[(n + index) % 4]
                    else {"text": f"Statement {letter} about case {n}"}
                    for letter in "ABCD"
                ],
                "explanation": f"Statement {'ABCD'[(n + index) % 4]} is the one that holds.",
            }
            for index, topic in enumerate(topics)
            for n in range(1, QUESTIONS_PER_TOPIC + 1)
        ]
        question_count += len(questions)
        _dump(
            questions_dir / f"{module['slug']}.yaml",
            {"module": module["slug"], "questions": questions},
        )

    roles = []
    for index in range(size.roles):
        modules = rng.sample(range(size.modules), 13)
        title = _title(rng, index, "role")
        salary_min = rng.randrange(60_000, 150_000, 5_000)
        roles.append(
            {
                "slug": role_slug(index),
                "title": title,
                "summary": f"A synthetic role that works on {title.lower()}.",
                "description": _paragraphs(rng, title, 3),
                "focus": FOCUSES[index % len(FOCUSES)],
                "seniority": SENIORITIES[index % len(SENIORITIES)],
                "order": (index + 1) * 10,
                "responsibilities": [
                    f"Own {rng.choice(SUBJECTS)} for the team's models." for _ in range(4)
                ],
                "education": "A degree in a quantitative field, or an equivalent portfolio.",
                "salary_min": salary_min,
                "salary_max": salary_min + 40_000,
                "salary_note": "Synthetic figures for the benchmark.",
                "industries": rng.sample(INDUSTRIES, 3),
                "leads_to": [role_slug(i) for i in rng.sample(range(size.roles), 3) if i != index],
                "requirements": {
                    "core": [module_slug(m) for m in modules[:5]],
                    "recommended": [module_slug(m) for m in modules[5:10]],
                    "optional": [module_slug(m) for m in modules[10:]],
                },
            }
        )
    _dump(path / "roles.yaml", {"roles": roles})

    projects = []
    for index in range(size.project_ideas):
        title = _title(rng, index, "project")
        projects.append(
            {
                "slug": project_slug(index),
                "title": title,
                "summary": f"Build something that shows {title.lower()}.",
                "description": _paragraphs(rng, title, 3),
                "difficulty": rng.choice(LEVELS),
                "hours": rng.randint(5, 80),
                "modules": [module_slug(m) for m in rng.sample(range(size.modules), 3)],
                "roles": [role_slug(r) for r in rng.sample(range(size.roles), 3)],
            }
        )
    _dump(path / "projects.yaml", {"projects": projects})
    return {
        "roles": len(roles),
        "modules": size.modules,
        "topics": len(slugs),
        "prerequisite_edges": edges,
        "resources": len(slugs),
        "project_ideas": len(projects),
        "questions": question_count,
    }


def _dump(path: Path, data) -> None:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
