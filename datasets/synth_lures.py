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

    python3 datasets/synth_lures.py --out target/pool/synthetic.jsonl          # 400 lures + 400 benign (edition 2)
    python3 datasets/synth_lures.py --edition 1 --out target/pool/synthetic.jsonl  # the 300 + 300 of models/lurescan-fast
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

# ---- task scams, stage by stage, in the region's languages ---------------------------------------------------
# Public warnings (US FTC and FBI IC3 on task scams, 2023-2024; Philippine, Thai, Vietnamese, Indonesian, Malaysian
# and Chinese police advisories on "like and earn" and order-grabbing schemes) describe the script in stages: a
# hook (paid likes, follows, ratings or orders; a daily rate; a "mentor" or "receptionist" on a chat app), then
# top-ups (prepaid or "combo" orders, VIP levels, a negative balance), then a blocked withdrawal (a tax, a fee or a
# "credit score" to restore). Each stage is written below per language from those descriptions, in parts that are
# combined at random; the look-alikes after them are ordinary messages with the same words (wallet top-ups, phone
# credit, order reviews, real part-time shifts, sales commission paid with a salary, telco top-up bonuses, and the
# police and bank warnings about these very scams).
TASK_HOOK = {
    "en": ["Part-time job: like and follow {app} accounts from your phone", "We are hiring online assistants to rate "
           "hotels and apps", "Easy side job: subscribe to {app} channels and send a screenshot", "Remote work for a "
           "merchant platform: submit product orders to lift their sales", "Get paid to watch short videos and give "
           "them a thumbs up", "Write short 5-star reviews for restaurants from home"],
    "zh": ["招募兼职，用手机给{app}视频点赞", "在家兼职，给酒店和APP打好评", "帮网店刷单补单，提升商家销量",
           "关注主播账号并截图就能领佣金", "手机做任务，看视频点赞关注"],
    "vi": ["Tuyển CTV online: thả tim, theo dõi kênh {app}", "Việc làm thêm tại nhà: đánh giá khách sạn và ứng dụng",
           "Làm nhiệm vụ đơn hàng giúp shop tăng doanh số", "Xem video ngắn và bấm thích là có tiền"],
    "id": ["Kerja sampingan online: like dan follow akun {app}", "Dicari admin online untuk kasih rating hotel dan "
           "aplikasi", "Tugas menyelesaikan pesanan untuk menaikkan penjualan toko", "Nonton video pendek lalu klik "
           "suka, langsung dapat uang"],
    "tl": ["Part-time job online: mag-like at mag-follow ng {app} accounts", "Naghahanap kami ng online rater ng hotel "
           "at apps", "Trabaho sa bahay: mag-submit ng orders para tumaas ang benta ng shop", "Manood ng maiikling "
           "video at i-like, may bayad agad"],
    "th": ["งานพาร์ทไทม์ออนไลน์ กดไลค์ กดติดตามช่อง {app}", "รับสมัครคนรีวิวโรงแรมและแอปผ่านมือถือ",
           "งานกดออเดอร์ช่วยร้านค้าเพิ่มยอดขาย", "ดูคลิปสั้นแล้วกดไลค์ ได้เงินจริง"],
    "ms": ["Kerja sambilan online: like dan follow akaun {app}", "Kami cari pekerja online untuk beri rating hotel "
           "dan aplikasi", "Tugasan tempah pesanan untuk naikkan jualan kedai"],
    "km": ["ការងារក្រៅម៉ោងតាមអនឡាញ ចុចឡាយ និងតាមដានគណនី {app}", "ត្រូវការបុគ្គលិកអនឡាញ ដាក់ពិន្ទុសណ្ឋាគារ និងកម្មវិធី"],
    "my": ["အွန်လိုင်း အချိန်ပိုင်းအလုပ် {app} ဗီဒီယိုများကို like နှိပ်ရုံသာ", "ဟိုတယ်နှင့် app များကို အဆင့်သတ်မှတ်ပေးရုံဖြင့် ဝင်ငွေရှာပါ"],
}
TASK_RATE = {
    "en": ["earn {a} USD a day", "{b} USD per task, paid the same day", "daily income {a}-{a2} USD",
           "commission credited at once", "the first 3 tasks pay a welcome bonus"],
    "zh": ["每单佣金{b}元", "日赚{a}元，当天结算", "前三单送体验金", "多劳多得，日结"],
    "vi": ["hoa hồng {b}0k mỗi nhiệm vụ", "thu nhập {a}00k-{a2}00k/ngày", "nhận tiền ngay trong ngày"],
    "id": ["komisi Rp{b}0rb per tugas", "penghasilan Rp{a}00rb per hari", "dibayar hari itu juga"],
    "tl": ["kita ng {a}00 pesos kada araw", "{b}0 pesos bawat task, bayad agad", "may bonus sa unang tatlong task"],
    "th": ["ค่าคอมงานละ {b}0 บาท", "รายได้วันละ {a}00-{a2}00 บาท", "ได้เงินทุกวัน ถอนได้ทันที"],
    "ms": ["komisen RM{b} setiap tugasan", "pendapatan RM{a}0 sehari", "dibayar pada hari yang sama"],
    "km": ["រកបាន {a}0 ដុល្លារក្នុងមួយថ្ងៃ", "កម្រៃជើងសារ {b} ដុល្លារក្នុងមួយភារកិច្ច"],
    "my": ["တစ်ရက် {a}0,000 ကျပ် ရရှိ", "အလုပ်တစ်ခုလျှင် ကော်မရှင် {b},000 ကျပ်"],
}
TASK_CHANNEL = {
    "en": ["Contact your mentor on Telegram", "The receptionist will guide you on WhatsApp", "Add our tutor on "
           "Telegram to receive tasks", "Click the link to join the task group", "Reply 1 and our coordinator will "
           "add you"],
    "zh": ["加导师微信领取任务", "联系接待员，飞机@{h}", "点链接进群领任务", "回复1，客服拉你进群"],
    "vi": ["liên hệ người hướng dẫn qua Telegram", "kết bạn Zalo với lễ tân để nhận nhiệm vụ", "nhắn mentor để vào nhóm"],
    "id": ["hubungi mentor di Telegram", "chat resepsionis di WhatsApp untuk ambil tugas", "gabung grup tugas lewat link"],
    "tl": ["i-message ang mentor sa Telegram", "kausapin ang receptionist sa WhatsApp para sa tasks",
           "sumali sa task group gamit ang link"],
    "th": ["ติดต่อพี่เลี้ยงทางเทเลแกรม", "แอดไลน์แอดมินเพื่อรับงาน", "เข้ากลุ่มรับงานตามลิงก์"],
    "ms": ["hubungi mentor di Telegram", "WhatsApp penyambut tetamu untuk ambil tugasan"],
    "km": ["ទាក់ទងគ្រូណែនាំតាម Telegram", "ផ្ញើសារទៅអ្នកទទួលភ្ញៀវតាម WhatsApp ដើម្បីទទួលភារកិច្ច"],
    "my": ["Telegram မှ လမ်းညွှန်ဆရာကို ဆက်သွယ်ပါ", "WhatsApp မှ ဧည့်ကြိုကို ဆက်သွယ်ပြီး အလုပ်ယူပါ"],
}
# English only: see task_scam.
TASK_TOPUP_EN = [
    "To unlock the next level, deposit {d} USDT to your task account; it comes back with your commission.",
    "You received a combo order. Your balance is negative {d}, top up the difference to continue and withdraw.",
    "VIP tasks pay three times more. Recharge {d} to upgrade your account today.",
    "Your withdrawal is on hold until you finish the last 5 merged orders. Prepay {d} to complete them.",
    "Before withdrawing you must pay a {p}% tax of {d}.",
    "Your credit score fell below 100. Deposit {d} to restore it and release your funds.",
]
TASK_LOOKALIKE = {
    "en": ["You topped up {d} to your {wallet} wallet. New balance {d}{b}.", "Your {wallet} withdrawal of {d} to the "
           "bank account ending {b}{a} was successful.", "Thanks for your order! Rate your rider in the app and get "
           "10% off next time.", "Hi {name}, the part-time cashier shift at {company} is Saturday 9-3, hourly pay as "
           "in your contract. Please confirm.", "Your prepaid plan was recharged with {d}. Valid for 30 days.",
           "Last month's sales commission was paid with your salary. See your payslip for details.",
           "How was your stay? Rate us in 2 minutes, thank you for choosing {company}.", "We're live at 8pm tonight, "
           "like and subscribe if you enjoyed last week's video!",
           "Recharge today and get 20% bonus credit, valid for 15 days. Dial *123# to top up.", "Double data weekend: top up 10 or more and receive 5GB free.", "Police warning: fraudsters offer online jobs liking videos, then ask you to deposit money to withdraw your commission. Never pay to get paid.", "Bank notice: we will never ask you to deposit money to unlock your account. Report suspicious messages."],
    "zh": ["您的零钱已充值{d}元。", "您已成功充值话费{d}元。", "感谢您的购买，评价订单可获得积分。",
           "门店招聘兼职收银员，按小时计薪，签劳动合同，请到店面试。", "本月销售提成已随工资发放，详见工资条。",
           "今晚八点直播，喜欢的话记得点赞关注！", "USDT承兑，汇率实时，大额可谈，非诚勿扰。", "群公告：禁止发广告，违者踢出。",
           "充值话费满50元送10元，今日有效。", "流量加油包限时优惠，回复1办理。", "警方提醒：网上点赞刷单返佣金都是诈骗，凡是要求先垫付、先充值才能提现的，一律是诈骗。", "银行提示：我行不会要求您转账解冻账户。"],
    "vi": ["Bạn đã nạp {d}00.000đ vào ví MoMo thành công.", "Quý khách đã nạp thẻ điện thoại {d}0.000đ.",
           "Cảm ơn bạn đã mua hàng, đánh giá đơn hàng để nhận xu.", "Cửa hàng tuyển nhân viên bán thời gian, lương theo "
           "giờ, phỏng vấn trực tiếp tại cửa hàng.", "Hoa hồng bán hàng tháng trước đã được trả cùng lương.",
           "Nhà mạng gửi quà: hôm nay nạp tiền điện thoại được cộng thêm 20%, dùng để gọi nội mạng.", "Nạp tiền qua ứng dụng nhận thêm 10% chiết khấu.", "Công an cảnh báo: đối tượng lừa đảo tuyển cộng tác viên làm nhiệm vụ online rồi yêu cầu nạp tiền để rút hoa hồng. Tuyệt đối không chuyển tiền.", "Ngân hàng không bao giờ yêu cầu khách hàng nạp tiền để mở khóa tài khoản."],
    "id": ["Top up GoPay Rp{d}00.000 berhasil.", "Pengisian pulsa Rp{d}0.000 berhasil.", "Terima kasih sudah belanja, "
           "beri ulasan untuk dapat koin.", "Lowongan kasir paruh waktu di toko kami, gaji per jam sesuai kontrak, "
           "wawancara langsung di toko.", "Komisi penjualan bulan lalu sudah dibayar bersama gaji.",
           "Isi pulsa hari ini dapat bonus 20%, berlaku 15 hari.", "Beli paket data sekarang, bonus kuota 5GB. Tekan *123#.", "Polisi mengimbau: penipuan kerja online like video lalu diminta deposit untuk tarik komisi. Jangan transfer uang."],
    "tl": ["Matagumpay ang cash-in na P{d}00 sa iyong GCash.", "Na-load na ang P{d}0 sa iyong number.",
           "Salamat sa order! I-rate ang rider sa app.", "Hiring ng part-time cashier sa aming tindahan, bayad kada "
           "oras ayon sa kontrata, interview sa store.",
           "Mag-load ngayon at makakuha ng 20% bonus, valid 15 araw.", "Babala ng pulisya: modus ang online job na mag-like ng video tapos pinapa-deposit bago ka makapag-withdraw. Huwag magpadala ng pera."],
    "th": ["เติมเงินเข้าวอลเล็ท {d}00 บาท สำเร็จ", "คุณได้เติมเงินโทรศัพท์ {d}0 บาท", "ขอบคุณที่สั่งซื้อ รีวิวสินค้าเพื่อรับเหรียญ",
           "ร้านรับสมัครพนักงานแคชเชียร์พาร์ทไทม์ ค่าจ้างรายชั่วโมงตามสัญญา สัมภาษณ์ที่ร้าน",
           "เติมเงินวันนี้ รับโบนัส 20% ใช้ได้ 15 วัน", "ตำรวจเตือน มิจฉาชีพหลอกทำงานออนไลน์กดไลค์ แล้วให้โอนเงินก่อนถอนค่าคอม อย่าโอนเงินเด็ดขาด"],
    "ms": ["Tambah nilai eWallet RM{d}0 berjaya.", "Terima kasih kerana membeli, beri ulasan untuk dapat syiling.",
           "Kedai kami cari juruwang sambilan, gaji ikut jam, temu duga di kedai.",
           "Tambah nilai hari ini dan dapat bonus 20%, sah 15 hari.", "Polis mengingatkan: sindiket kerja online like video minta deposit sebelum keluarkan komisen. Jangan pindah wang."],
    "km": ["អ្នកបានបញ្ចូលលុយ {d}0 ដុល្លារ ទៅក្នុងគណនីដោយជោគជ័យ", "ហាងយើងត្រូវការអ្នកគិតលុយក្រៅម៉ោង សម្ភាសន៍នៅហាង",
           "បញ្ចូលលុយថ្ងៃនេះ ទទួលបានបន្ថែម 20%", "ប៉ូលិសព្រមាន៖ ការងារអនឡាញចុចឡាយ ហើយឱ្យដាក់ប្រាក់មុនដកប្រាក់ គឺជាការបោកប្រាស់"],
    "my": ["သင်၏ ပိုက်ဆံအိတ်သို့ {d},000 ကျပ် ငွေဖြည့်ပြီးပါပြီ", "ဆိုင်တွင် အချိန်ပိုင်း ငွေကိုင် ခေါ်ယူနေပါသည်၊ ဆိုင်တွင် အင်တာဗျူးလုပ်ပါမည်",
           "ယနေ့ ငွေဖြည့်ပါက ဘောနပ်စ် 20% ရရှိမည်", "ရဲတပ်ဖွဲ့ သတိပေးချက်၊ အွန်လိုင်း like နှိပ်အလုပ်ဖြင့် ငွေအရင်သွင်းခိုင်းခြင်းသည် လိမ်လည်မှုဖြစ်သည်"],
}
APPS = ["TikTok", "YouTube", "Shopee", "Lazada", "Instagram", "Google Maps"]
WALLETS = ["GCash", "MoMo", "GoPay", "TrueMoney", "Touch 'n Go", "PayPal"]


def task_scam(rng: random.Random, lang: str) -> tuple[str, str]:
    """One task-scam message in `lang`: the hook (task, pay, chat app, in some order), or in English also a top-up
    demand. Top-ups are English only: their verbs (top up, recharge, deposit) are those of every telco's promotions,
    and where the pool has no ordinary messages in a language, a model taught that they mean a lure flags that
    language's telco SMS (with Vietnamese top-up lures here, a Vietnamese source left out had 3.4% of its ordinary
    messages flagged). The other languages' top-up scripts are exemplars instead (datasets/exemplars/), beside
    telco top-up promotions as benign look-alikes."""
    vals = {"app": rng.choice(APPS), "a": rng.randint(2, 9), "a2": rng.randint(10, 20), "b": rng.randint(2, 9),
            "d": rng.randint(1, 9), "p": rng.choice([10, 15, 20, 30]), "h": handle(rng)}
    if lang != "en" or rng.random() < 0.6:
        parts = [rng.choice(TASK_HOOK[lang]), rng.choice(TASK_RATE[lang]), rng.choice(TASK_CHANNEL[lang])]
        if rng.random() < 0.3:
            parts[1], parts[2] = parts[2], parts[1]
        sep = "，" if lang == "zh" else rng.choice([", ", ". ", " - "])
        return "task-hook", sep.join(parts).format(**vals)
    return "task-topup", rng.choice(TASK_TOPUP_EN).format(**vals)


def task_lookalike(rng: random.Random, lang: str) -> str:
    return rng.choice(TASK_LOOKALIKE[lang]).format(
        d=rng.randint(1, 9), b=rng.randint(10, 99), a=rng.randint(10, 99), wallet=rng.choice(WALLETS),
        name=rng.choice(NAMES), company=rng.choice(COMPANIES))

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


# Each edition's shares: a draw below the first cut is an English message, below the second a posting, below the
# third a message in another language, and the rest a task-scam stage (lures) or a task-scam look-alike (benign).
# Edition 1 (300 + 300, no task-scam stages) is what models/lurescan-fast was trained with; edition 2 (400 + 400)
# is models/lurescan-base's. The draws are the same for both up to the cuts, so edition 1 is byte for byte the
# file it always was.
EDITIONS = {1: ((0.45, 0.7, 1.0), (0.5, 0.7, 1.0)), 2: ((0.38, 0.58, 0.78), (0.38, 0.52, 0.70))}
DEFAULT_PER_CLASS = {1: 300, 2: 400}


def generate(per_class: int, seed: int = SEED, edition: int = 2) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []

    def add(label: int, kind: str, lang: str, group: str, fields: dict) -> None:
        i = sum(1 for r in out if r["label"] == label)
        out.append({"id": f"synthetic:{'lure' if label else 'benign'}-{i:04d}", "source": "synthetic", "kind": kind,
                    "label": label, "lang": lang, "group": f"synthetic:{group}", "split": "train", **fields})

    lure_cuts, benign_cuts = EDITIONS[edition]
    for _ in range(per_class):
        r = rng.random()
        if r < lure_cuts[0]:
            family, text = lure_message_en(rng)
            add(1, "message", "en", family, {"text": text})
        elif r < lure_cuts[1]:
            family, record = lure_posting(rng)
            add(1, "posting", "en", family, record)
        elif r < lure_cuts[2]:
            lang = rng.choice(sorted(LURES_OTHER))
            template = rng.choice(LURES_OTHER[lang])
            add(1, "message", lang, f"{lang}-{LURES_OTHER[lang].index(template)}", {"text": fill(template, rng, lang)})
        else:
            lang = rng.choice(sorted(TASK_HOOK))
            stage, text = task_scam(rng, lang)
            add(1, "message", lang, f"{stage}-{lang}", {"text": text})
    for _ in range(per_class):
        r = rng.random()
        if r < benign_cuts[0]:
            template = rng.choice(BENIGN_EN)
            add(0, "message", "en", f"en-{BENIGN_EN.index(template)}", {"text": fill(template, rng)})
        elif r < benign_cuts[1]:
            t = rng.choice(BENIGN_POSTINGS)
            keys = ("title", "location", "salary_range", "description", "requirements", "benefits")
            record = {k: fill(v, rng) for k, v in zip(keys, t) if v}
            add(0, "posting", "en", f"posting-{BENIGN_POSTINGS.index(t)}", record)
        elif r < benign_cuts[2]:
            lang = rng.choice(sorted(BENIGN_OTHER))
            template = rng.choice(BENIGN_OTHER[lang])
            add(0, "message", lang, f"{lang}-{BENIGN_OTHER[lang].index(template)}", {"text": fill(template, rng, lang)})
        else:
            lang = rng.choice(sorted(TASK_LOOKALIKE))
            add(0, "message", lang, f"task-lookalike-{lang}", {"text": task_lookalike(rng, lang)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output JSONL file, or - for standard output")
    ap.add_argument("--edition", type=int, choices=sorted(EDITIONS), default=2,
                    help="1: the 300 + 300 records models/lurescan-fast was trained with; 2 (default): 400 + 400 with "
                         "task-scam stages and their look-alikes, models/lurescan-base's")
    ap.add_argument("--per-class", type=int, help="lures and benign records each (default 300 in edition 1, 400 in 2)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    per_class = args.per_class if args.per_class is not None else DEFAULT_PER_CLASS[args.edition]
    records = generate(per_class, args.seed, args.edition)
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
