"""Generates job postings and recruitment messages for the Python and Spark tests: deterministic, written here
from small word lists (no text from any data set), and a few records that cannot be scored, so error rows travel
through every path too."""

from __future__ import annotations

import random
from typing import Any, Dict, List

TITLES = ["Data entry clerk", "Customer service agent", "Warehouse associate", "Accountant", "Hotel receptionist",
          "Online sales assistant", "Registered nurse", "Software developer", "Translator", "Delivery driver",
          "Marketing intern", "Cashier", "Game tester", "Chat moderator", "Electrician"]
PLACES = ["Leeds, UK", "Austin, TX", "Phnom Penh, Cambodia", "Sihanoukville", "Bangkok, Thailand", "Manila",
          "Dubai", "Lyon, France", "Remote", "Myawaddy", "Toronto, ON", "Kuala Lumpur", "Nairobi"]
PAY = ["$15/hour", "1500 USD per month", "2,000-3,000 USD monthly", "competitive", "EUR 32,000 a year",
       "up to 5000 USD plus bonus", "minimum wage", "daily pay 80 USD"]
DUTIES = ["answer customer emails", "enter orders into our system", "pick and pack parcels",
          "prepare monthly reports", "greet guests at the front desk", "test mobile games for bugs",
          "translate product pages", "deliver parcels in the city", "reconcile invoices", "moderate live chats"]
PERKS = ["free flight and housing", "health insurance", "paid leave", "visa arranged by the company",
         "meals and dormitory provided", "pension plan", "no experience needed", "training provided",
         "passport kept safe by HR", "bonus after three months"]
CONTACTS = ["Apply on our careers page.", "Send your CV to jobs@example.org.", "Contact Telegram @hr_team now.",
            "WhatsApp +855 12 000 000 for details.", "Interview by phone next week.",
            "Pay a small registration fee to secure your place."]
GREETINGS = ["Hi", "Hello dear", "Good morning", "Hey", "Dear applicant"]


def _message(rng: random.Random) -> str:
    return (f"{rng.choice(GREETINGS)}, we have a {rng.choice(TITLES).lower()} job in {rng.choice(PLACES)}, "
            f"{rng.choice(PAY)}, {rng.choice(PERKS)}. {rng.choice(CONTACTS)}")


def _posting(rng: random.Random) -> Dict[str, Any]:
    duties = ", ".join(rng.sample(DUTIES, rng.randint(1, 3)))
    perks = ", ".join(rng.sample(PERKS, rng.randint(1, 3)))
    posting = {
        "title": rng.choice(TITLES),
        "location": rng.choice(PLACES),
        "description": f"You will {duties}. {rng.choice(CONTACTS)}",
        "benefits": perks.capitalize() + ".",
    }
    if rng.random() < 0.5:
        posting["salary_range"] = rng.choice(PAY)
    if rng.random() < 0.3:
        posting["requirements"] = rng.choice(["English", "A driving licence", "Two years of experience", "None"])
    return posting


def generate(n: int, seed: int = 17) -> List[Dict[str, Any]]:
    """``n`` records with unique string ids ``r0`` …: about 45% messages, 55% postings, and one in 500 a record
    with no text (only a key lurescan does not read), which comes back as an error row. Every value is a str, so
    the records fit a DataFrame of string columns as well as JSON lines."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        if i % 500 == 499:
            record: Dict[str, Any] = {"note": "no text here"}
        elif rng.random() < 0.45:
            record = {"text": _message(rng)}
        else:
            record = _posting(rng)
        record["id"] = f"r{i}"
        records.append(record)
    return records
