#!/usr/bin/env python3
"""Write project-made synthetic training records: scam-compound recruitment lures and their hard negatives.

Why: the shared pool has only 37 real lure messages and no posting that recruits into a scam compound in Southeast
Asia, the lure lurescan exists for ("customer service in Cambodia, high salary, free flight and housing, no
experience"). A model trained on the pool alone learns that a short message is almost never a lure and misses them.
These records, built from templates written for this project from the patterns in public reports (UNODC 2023,
OHCHR 2023, INTERPOL 2023 and ILO forced-labour indicators), teach it that pattern. Each lure template has benign
counterparts that share its surface: real recruiter messages, travel and work abroad with a named employer, a work
permit and an official channel, so that "Cambodia", "flight" or "Telegram" alone do not make a lure.

They are for training only. Evaluation never uses them: the pool's splits are real data, and the hand-written
`datasets/short-lures.jsonl` and `datasets/examples/` were written separately, with other wording (but by the same
project, so recall on them flatters any model trained on these templates: read it as "learned the pattern", not as
field performance).

Output: one JSON object a line, `{"id", "source": "synthetic", "kind", "label", "lang", "group", "split": "train",
text fields}`; deterministic (seeded), so the recipe's data checksum is stable.

    python3 datasets/synth_lures.py --out target/pool/synthetic.jsonl          # 300 lures + 300 benign
    python3 datasets/synth_lures.py --out - --per-class 5                       # a look at a few
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

SEED = 20261124

# ---- lure parts (English) -------------------------------------------------------------------------------------
ROLES = ["customer service", "online customer support", "typist", "data entry clerk", "game tester",
         "chat operator", "marketing assistant", "translator", "live-stream host", "crypto sales agent",
         "online sales", "call centre agent", "IT support", "social media admin", "casino dealer"]
PLACES = ["Cambodia", "Sihanoukville", "Phnom Penh", "Bavet", "Poipet", "Myanmar", "Myawaddy", "Shwe Kokko",
          "Laos", "the Golden Triangle", "Mae Sot", "the Thai border", "Dubai", "Manila", "Pasay"]
PAY = ["$1,500 per month", "1500-3000 USD/month", "$2000 a month + bonus", "45,000 THB monthly",
       "salary 20-30 million VND", "$2,500/month paid in USDT", "high salary up to $3000", "1200$ + commission"]
PERKS = ["free flight ticket", "free visa", "free food and accommodation", "company pays the air ticket",
         "airport pick-up arranged", "free dormitory and 3 meals", "ticket refunded after one month",
         "we arrange transport from Bangkok", "visa on arrival, company handles everything"]
REQS = ["no experience needed", "only basic English typing", "age 18-35", "just bring your passport",
        "no CV needed", "no interview, start this week", "passport valid 6 months", "no degree required"]
CONTACTS = ["contact HR on Telegram @{h}", "add WhatsApp +{n}", "message me on Telegram: @{h}", "DM me now",
            "send your passport photo to @{h}", "Line ID: {h}", "inbox me for details", "add my Signal +{n}"]
URGENCY = ["Urgent!", "Hiring now!", "Limited places!", "Only 10 seats left.", "Leave this week.", ""]
OPENERS = ["Hello dear,", "Hi!", "Job opportunity:", "Looking for a job abroad?", "Good news!", "", "Hey bro,"]
TASKS = ["like TikTok videos", "rate hotels online", "boost product orders", "follow shops on Shopee",
         "like YouTube videos", "write 5-star reviews", "complete app download tasks"]
TASK_PAY = ["$5 per task", "earn 200-800 USD a day", "commission 30% per order", "50k-100k per task",
            "up to $300 daily", "paid daily"]


def handle(rng: random.Random) -> str:
    return rng.choice(["hr_", "job", "tuyen_dung", "work", "agent", "recruit"]) + str(rng.randint(10, 9999))


def phone(rng: random.Random) -> str:
    return rng.choice(["855", "95", "66", "84", "63", "971"]) + " " + " ".join(str(rng.randint(100, 999)) for _ in range(3))


def contact(rng: random.Random) -> str:
    return rng.choice(CONTACTS).format(h=handle(rng), n=phone(rng))


def sentence_join(parts: list[str]) -> str:
    return " ".join(p for p in parts if p).replace("  ", " ").strip()


def lure_message_en(rng: random.Random) -> tuple[str, str]:
    kind = rng.random()
    if kind < 0.6:
        parts = [rng.choice(OPENERS), rng.choice(URGENCY),
                 f"{rng.choice(ROLES).capitalize()} job in {rng.choice(PLACES)}, {rng.choice(PAY)},",
                 f"{rng.choice(PERKS)}, {rng.choice(REQS)}.", contact(rng).capitalize() + "."]
        return "compound", sentence_join(parts)
    if kind < 0.85:
        parts = [rng.choice(OPENERS), f"Part-time online job: {rng.choice(TASKS)}, {rng.choice(TASK_PAY)}.",
                 rng.choice(["Work from your phone.", "Only 1 hour a day.", "No deposit at the start.", ""]),
                 contact(rng).capitalize() + "."]
        return "task", sentence_join(parts)
    parts = [rng.choice(["We pick you up at the airport and take you to the company.",
                         "Our driver meets you at the border, then our team takes you across.",
                         "Don't worry about the work permit, the boss arranges it.",
                         "Fly to Bangkok as a tourist, we handle the rest."]),
             f"{rng.choice(ROLES).capitalize()}, {rng.choice(PAY)}.", rng.choice(REQS).capitalize() + ".",
             contact(rng).capitalize() + "."]
    return "crossing", sentence_join(parts)


def lure_posting(rng: random.Random) -> tuple[str, dict]:
    role = rng.choice(ROLES).title()
    place = rng.choice(PLACES)
    perks = rng.sample(PERKS, 3)
    reqs = rng.sample(REQS, 2)
    record = {
        "title": f"{role} - {rng.choice(['URGENT', 'High Salary', 'No Experience', 'Overseas', 'Start Now'])}",
        "location": place,
        "salary_range": rng.choice(PAY),
        "description": sentence_join([
            f"Our company in {place} is expanding and needs {rng.randint(5, 50)} {role.lower()} staff immediately.",
            rng.choice(["Simple work, training provided.", "Easy job, we teach you from zero.",
                        "Work: chat with customers online and simple typing."]),
            f"{perks[0].capitalize()}, {perks[1]} and {perks[2]}.",
            contact(rng).capitalize() + "."]),
        "requirements": f"{reqs[0].capitalize()}. {reqs[1].capitalize()}.",
    }
    if rng.random() < 0.5:
        record["benefits"] = rng.choice(["Bonus every month. Salary in cash or USDT.", "Free SIM card and housing.",
                                         "Young team, weekends off, high commission."])
    return "posting", record


# ---- lure messages in other languages (short, common phrasing) ------------------------------------------------
LURES_OTHER = {
    "vi": ["Tuyển {n} bạn làm CSKH tại Campuchia, lương {p} triệu/tháng, bao vé máy bay, bao ăn ở. Liên hệ Zalo {z}",
           "Việc nhẹ lương cao, không cần kinh nghiệm, làm online {t}, nhận {p}00k mỗi ngày. Inbox Zalo {z}",
           "Cần gấp nhân viên đánh máy đi Myanmar, chỉ cần hộ chiếu, công ty lo visa và vé. Telegram @{h}"],
    "zh": ["高薪招聘客服，地点柬埔寨西港，月薪{p}千美金，包吃包住，报销机票，无需经验，联系飞机@{h}",
           "在菲直招打字员，底薪{p}000U，有护照安全过关，包接机，私聊",
           "兼职刷单，{t}，一单佣金{p}0元，日结，加微信{h}"],
    "id": ["Lowongan kerja customer service di Kamboja, gaji {p} juta per bulan, tiket pesawat dan mess gratis, "
           "tanpa pengalaman. Hubungi WA +{n}",
           "Kerja online dari HP, {t}, dibayar harian Rp {p}00rb. Chat Telegram @{h}"],
    "tl": ["Hiring CSR sa Cambodia, sahod {p}0k kada buwan, libre ang ticket at tirahan, walang experience. "
           "Mag-message sa Telegram @{h}",
           "Part-time online job, {t}, kita ng {p}00 pesos kada araw. PM lang"],
    "th": ["รับสมัครพนักงานพิมพ์งาน ทำงานที่กัมพูชา เงินเดือน {p}0,000 บาท มีที่พักฟรี ออกค่าตั๋วให้ ไม่ต้องมีประสบการณ์ ติดต่อไลน์ {h}",
           "งานออนไลน์ {t} รายได้วันละ {p}00 บาท สนใจทักไลน์ {h}"],
}
TASKS_OTHER = {"vi": "like video TikTok", "zh": "点赞关注", "id": "like video", "tl": "mag-like ng videos",
               "th": "กดไลค์วิดีโอ"}

# ---- benign counterparts --------------------------------------------------------------------------------------
COMPANIES = ["Marriott", "Grab", "Prudential", "the British Council", "Save the Children", "Aeon Mall",
             "a local school", "ABA Bank", "DHL", "Unilever", "our clinic", "Sofitel", "the university"]
NAMES = ["Anna", "Minh", "Dara", "Somchai", "Maria", "Budi", "Li Wei", "John", "Sokha", "Joy"]
BENIGN_EN = [
    "Hi {name}, thanks for applying for the {role} role at {company}. Could you do a video interview on {day} "
    "at {hour}? Please reply with a time that suits you.",
    "Dear {name}, we are pleased to offer you the {role} position at {company} in {place}. The contract, salary "
    "and work permit details are attached; please read them before signing.",
    "Reminder: your flight to {place} for the {company} regional meeting is booked for {day}. The hotel is on "
    "the company account.",
    "{name}, our team offsite will be in {place} next month. HR will book flights and rooms, send your passport "
    "name exactly as printed by Friday.",
    "Hey {name}, I saw the {company} job in {place} on their website, salary looks fair. Are you applying?",
    "Your application for {role} at {company} has been received. We will contact you within two weeks.",
    "Shift change: {name}, can you cover the {role} desk on {day} from {hour}? Thanks!",
    "We are hiring a {role} in {place}. Requirements: 2 years' experience and a degree. Apply on our careers page; "
    "we never ask for fees or your passport before an offer.",
    "Congrats on the new {role} job at {company}! When do you fly to {place}?",
    "The embassy approved my work visa for {place}, I start at {company} on {day}.",
    "Join our Telegram group for the {company} alumni meet-up on {day} at {hour}.",
    "Earn extra cash this weekend helping at the {company} stall, {hour} to 6pm, lunch provided. Reply if keen.",
]
BENIGN_POSTINGS = [
    ("{role} (2+ years' experience)", "{place}", "Competitive, according to experience",
     "{company} is looking for an experienced {role} to join our team in {place}. You will work with our regional "
     "customers in English. We sponsor the work permit and visa in line with local labour law.",
     "Degree or equivalent. At least 2 years in a similar role. References required.",
     "Apply through our careers website. Interviews in person or by video. We never charge candidates any fee."),
    ("Hotel Front Office Supervisor", "{place}", "$900 - $1,200 per month",
     "{company} is hiring a front office supervisor. Lead a team of 6, handle guest requests and check-in, "
     "coordinate with housekeeping.",
     "3 years in hotel front office. Fluent English; Khmer or Thai an advantage.",
     "Staff meals, uniform, annual leave per labour law. Send your CV to careers@example.com."),
    ("Customer Service Representative", "{place}", "",
     "Answer customer calls and emails for {company}. Full training in our office, shifts published two weeks "
     "ahead, overtime paid.",
     "High-school diploma. Good communication skills.",
     "Health insurance, paid leave. Apply online; the interview is at our office."),
]
BENIGN_OTHER = {
    "vi": ["Chào {name}, cảm ơn bạn đã ứng tuyển vị trí nhân viên tại {company}. Mời bạn phỏng vấn lúc {hour} thứ Hai.",
           "Chuyến bay đi Phnom Penh của đoàn công tác đã được đặt, khách sạn công ty thanh toán."],
    "zh": ["{name}你好，感谢应聘{company}的职位，请于周一{hour}到公司面试，带上简历。",
           "下个月去金边出差，机票和酒店公司已经订好了。"],
    "id": ["Halo {name}, terima kasih sudah melamar di {company}. Wawancara hari Senin jam {hour} di kantor kami.",
           "Tiket pesawat ke Bangkok untuk pelatihan kantor sudah dipesan oleh HR."],
    "tl": ["Hi {name}, salamat sa pag-apply sa {company}. Ang interview mo ay sa Lunes, {hour}, sa opisina.",
           "Na-book na ng HR ang flight natin papuntang Bangkok para sa training."],
    "th": ["สวัสดีคุณ{name} ขอบคุณที่สมัครงานกับ{company} เชิญสัมภาษณ์วันจันทร์ เวลา {hour} ที่สำนักงาน",
           "ตั๋วเครื่องบินไปพนมเปญสำหรับการประชุมบริษัท จองเรียบร้อยแล้ว"],
}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "the 12th", "next week"]
HOURS = ["9:00", "10:30", "2pm", "14:00", "4pm"]


def fill(template: str, rng: random.Random, lang: str = "en") -> str:
    return template.format(name=rng.choice(NAMES), role=rng.choice(ROLES), company=rng.choice(COMPANIES),
                           place=rng.choice(PLACES), day=rng.choice(DAYS), hour=rng.choice(HOURS),
                           p=rng.randint(1, 9), n=phone(rng), h=handle(rng), z="09" + str(rng.randint(10**7, 10**8 - 1)),
                           t=TASKS_OTHER.get(lang, rng.choice(TASKS)))


def generate(per_class: int, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []

    def add(label: int, kind: str, lang: str, group: str, fields: dict) -> None:
        i = sum(1 for r in out if r["label"] == label)
        out.append({"id": f"synthetic:{'lure' if label else 'benign'}-{i:04d}", "source": "synthetic", "kind": kind,
                    "label": label, "lang": lang, "group": f"synthetic:{group}", "split": "train", **fields})

    for _ in range(per_class):
        r = rng.random()
        if r < 0.45:
            family, text = lure_message_en(rng)
            add(1, "message", "en", family, {"text": text})
        elif r < 0.7:
            family, record = lure_posting(rng)
            add(1, "posting", "en", family, record)
        else:
            lang = rng.choice(sorted(LURES_OTHER))
            template = rng.choice(LURES_OTHER[lang])
            add(1, "message", lang, f"{lang}-{LURES_OTHER[lang].index(template)}", {"text": fill(template, rng, lang)})
    for _ in range(per_class):
        r = rng.random()
        if r < 0.5:
            template = rng.choice(BENIGN_EN)
            add(0, "message", "en", f"en-{BENIGN_EN.index(template)}", {"text": fill(template, rng)})
        elif r < 0.7:
            t = rng.choice(BENIGN_POSTINGS)
            keys = ("title", "location", "salary_range", "description", "requirements", "benefits")
            record = {k: fill(v, rng) for k, v in zip(keys, t) if v}
            add(0, "posting", "en", f"posting-{BENIGN_POSTINGS.index(t)}", record)
        else:
            lang = rng.choice(sorted(BENIGN_OTHER))
            template = rng.choice(BENIGN_OTHER[lang])
            add(0, "message", lang, f"{lang}-{BENIGN_OTHER[lang].index(template)}", {"text": fill(template, rng, lang)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output JSONL file, or - for standard output")
    ap.add_argument("--per-class", type=int, default=300, help="lures and benign records each (default 300)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    records = generate(args.per_class, args.seed)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if args.out == "-":
        sys.stdout.write(lines)
    else:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(lines, encoding="utf-8")
        print(f"wrote {len(records)} synthetic records to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
