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
    python3 datasets/synth_lures.py --edition 8 --out target/pool2/synthetic-ed8.jsonl  # edition 7 + 162 + 162 pretexts
    python3 datasets/synth_lures.py --edition 7 --out target/pool2/synthetic-ed7.jsonl  # edition 6 + 108 + 108 regional postings
    python3 datasets/synth_lures.py --edition 4 --out target/pool/synthetic-ed4.jsonl  # edition 2 + 450 + 558
    python3 datasets/synth_lures.py --edition 3 --out target/pool/synthetic-ed3.jsonl  # edition 2 + 450 + 450
    python3 datasets/synth_lures.py --edition 1 --out target/pool/synthetic.jsonl  # the 300 + 300 of models/lurescan-fast
    python3 datasets/synth_lures.py --out - --per-class 5                       # a look at a few
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from synth_later_stages import FEE_AGENT, TASK_STAGE2
from synth_gig_work import GIG_WORK, gig_work, overseas
from synth_recruiter_hooks import RECRUITER_HOOK, recruiter_hook
from synth_pretexts import PRETEXTS, pretext
from synth_regional_postings import POSTINGS, regional_posting

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


# ---- ordinary local jobs in the region's languages (edition 3) -------------------------------------------------
# Edition 2's records in the region's languages are mostly lures: their benign ones are interview invitations,
# wallet top-ups and telco promotions, and the pool has no ordinary job advertisement in Vietnamese, Khmer, Burmese,
# Tagalog, Malay or Chinese. A model trained on them read any job advertisement in those languages as a lure: an
# ordinary phone-shop sales job in Vietnamese ("lương 7tr + hoa hồng, liên hệ Zalo") scored 0.999. These are what
# job boards, shop windows and local groups carry every day, written for this project: a local employer, a local
# role, a wage that is ordinary where it is paid, conditions (shifts, social insurance, a contract, training,
# meals, staff housing for a hotel or a factory) and a way to apply, often by the chat app the country uses (Zalo in
# Vietnam, LINE in Thailand, WhatsApp in Indonesia, Malaysia and East Africa, Telegram in Cambodia, Viber in
# Myanmar, WeChat in China, Messenger in the Philippines). "No experience needed", a commission and a chat-app
# contact are in lures and in ordinary advertisements alike; what lures add (work abroad, pay far above the
# local wage, paid travel, a passport, pay per like or per order) is not here.
LOCAL_JOBS = {
    "vi": {
        "employer": ["Cửa hàng điện thoại {name}", "Quán cà phê {name}", "Nhà hàng {name}", "Siêu thị mini {name}",
                     "Công ty TNHH {name}", "Xưởng may {name}", "Khách sạn {name}", "Tiệm bánh {name}"],
        "place": ["Quận 7", "Cầu Giấy, Hà Nội", "Đà Nẵng", "Biên Hòa", "Cần Thơ", "Thủ Đức"],
        "verb": "cần tuyển",
        "role": ["nhân viên bán hàng", "nhân viên phục vụ", "thu ngân", "nhân viên pha chế", "nhân viên giao hàng",
                 "công nhân may", "lễ tân", "nhân viên kho", "kế toán nội bộ"],
        "pay": ["lương 6-8 triệu/tháng", "lương cứng 7tr + hoa hồng", "25.000đ/giờ", "thu nhập 8-12 triệu tùy doanh số",
                "lương 9 triệu, thưởng tháng 13", "lương thỏa thuận theo năng lực"],
        "terms": ["làm ca sáng hoặc chiều", "đóng BHXH đầy đủ", "ký hợp đồng lao động", "không cần kinh nghiệm, được đào tạo",
                  "bao cơm trưa", "nghỉ 4 ngày/tháng", "có phòng ở cho nhân viên ở xa", "ưu tiên sinh viên làm thêm"],
        "apply": ["Liên hệ Zalo {phone}", "Gọi {phone} gặp chị {name}", "Nộp hồ sơ trực tiếp tại cửa hàng",
                  "Gửi CV qua email tuyendung@{domain}.vn", "Inbox fanpage để hẹn phỏng vấn"],
        "names": ["Minh Anh", "Hoàng Long", "Phú Quý", "Thanh Hà", "An Khang"],
        "sep": ", ",
    },
    "th": {
        "employer": ["ร้านกาแฟ{name}", "ร้านมือถือ{name}", "ร้านอาหาร{name}", "มินิมาร์ท{name}", "บริษัท {name} จำกัด",
                     "โรงงาน{name}", "โรงแรม{name}", "ร้านเบเกอรี่{name}"],
        "place": ["สาขาบางนา", "เชียงใหม่", "ขอนแก่น", "ลาดพร้าว", "ชลบุรี", "หาดใหญ่"],
        "verb": "รับสมัคร",
        "role": ["พนักงานขาย", "พนักงานเสิร์ฟ", "แคชเชียร์", "บาริสต้า", "ไรเดอร์ส่งของ", "พนักงานฝ่ายผลิต",
                 "พนักงานต้อนรับ", "พนักงานคลังสินค้า", "ผู้ช่วยพ่อครัว"],
        "pay": ["เงินเดือน 12,000-15,000 บาท", "ค่าแรงวันละ 400 บาท", "ชั่วโมงละ 50 บาท", "เงินเดือน 15,000 + คอมมิชชั่น",
                "เงินเดือน 18,000 บาท มีโบนัสปลายปี", "รายได้ตามตกลง"],
        "terms": ["ทำงานเป็นกะ", "มีประกันสังคม", "ไม่ต้องมีประสบการณ์ มีสอนงาน", "มีข้าวกลางวัน", "หยุดสัปดาห์ละ 1 วัน",
                  "มีหอพักให้พนักงาน", "รับนักศึกษาทำพาร์ทไทม์", "ทำสัญญาจ้างตามกฎหมายแรงงาน"],
        "apply": ["สนใจทักไลน์ @{handle}", "โทร {phone} คุณ{name}", "สมัครด้วยตัวเองที่ร้าน",
                  "ส่งประวัติทางอีเมล hr@{domain}.co.th", "ทักแชทเพจเพื่อนัดสัมภาษณ์"],
        "names": ["สุขใจ", "บ้านสวน", "ทองดี", "ใบเตย", "ศรีสยาม"],
        "sep": " ",
    },
    "id": {
        "employer": ["Toko HP {name}", "Kedai kopi {name}", "Rumah makan {name}", "Minimarket {name}", "PT {name}",
                     "Pabrik garmen {name}", "Hotel {name}", "Toko roti {name}"],
        "place": ["Bekasi", "Bandung", "Surabaya", "Medan", "Yogyakarta", "Makassar"],
        "verb": "membuka lowongan",
        "role": ["SPG/SPB", "pramusaji", "kasir", "barista", "kurir", "operator produksi", "resepsionis", "staf gudang",
                 "admin toko"],
        "pay": ["gaji UMR + insentif", "gaji Rp3,5 juta/bulan", "Rp25.000 per jam", "gaji pokok + komisi penjualan",
                "gaji Rp4,2 juta, THR dan BPJS", "gaji sesuai pengalaman"],
        "terms": ["kerja shift", "BPJS Ketenagakerjaan", "kontrak kerja resmi", "tanpa pengalaman, ada pelatihan",
                  "makan siang disediakan", "libur 1 hari seminggu", "disediakan mess untuk karyawan luar kota",
                  "cocok untuk mahasiswa"],
        "apply": ["Hubungi WA {phone}", "Kirim CV ke hrd@{domain}.co.id", "Datang langsung ke toko bawa lamaran",
                  "DM Instagram kami", "Telepon {phone} (Ibu {name})"],
        "names": ["Sinar Jaya", "Maju Bersama", "Sari Rasa", "Berkah", "Mitra Abadi"],
        "sep": ", ",
    },
    "tl": {
        "employer": ["Milk tea shop na {name}", "Cellphone store na {name}", "Karinderya ni {name}", "{name} Grocery",
                     "{name} Manufacturing", "{name} Hotel", "{name} Bakery"],
        "place": ["Quezon City", "Cebu", "Davao", "Pasig", "Iloilo", "Bacolod"],
        "verb": "ay naghahanap ng",
        "role": ["sales lady", "service crew", "cashier", "barista", "delivery rider", "production worker", "front desk",
                 "bodegero", "admin staff"],
        "pay": ["sahod 610 kada araw", "P15,000 kada buwan + commission", "P18,000-P22,000 kada buwan",
                "may overtime pay", "arawan na 570 pesos", "sahod ayon sa minimum wage"],
        "terms": ["may SSS, PhilHealth at Pag-IBIG", "shifting schedule", "walang experience, may training",
                  "libreng pagkain", "may day off isang beses kada linggo", "may staff house para sa taga-probinsya",
                  "pwede ang estudyante", "may kontrata"],
        "apply": ["Mag-message sa Messenger", "I-text o tawagan si {name} sa {phone}",
                  "Walk-in interview, dalhin ang resume", "Ipadala ang resume sa hr@{domain}.ph", "PM sa page namin"],
        "names": ["Aling Nena", "Mang Tonyo", "Golden", "St. Jude", "Bayanihan"],
        "sep": ", ",
    },
    "zh": {
        "employer": ["{name}奶茶店", "{name}手机店", "{name}餐厅", "{name}便利店", "{name}电子厂", "{name}酒店",
                     "{name}麵包店", "{name}物流公司"],
        "place": ["深圳龙华", "广州天河", "杭州", "台北", "香港", "成都"],
        "verb": "招聘",
        "role": ["店员", "服务员", "收银员", "咖啡师", "快递员", "普工", "前台", "仓管", "文员"],
        "pay": ["月薪4500-6000元", "底薪3000+提成", "时薪20元", "综合工资6000-8000元", "月薪5000，五险一金",
                "時薪190元", "薪資面議"],
        "terms": ["做六休一", "缴纳五险一金", "签正式劳动合同", "无经验可培训", "包工作餐", "提供员工宿舍", "学生可做兼职",
                  "享勞健保", "兩班制"],
        "apply": ["有意者加微信{handle}", "电话{phone}联系{name}经理", "请到店面试，带身份证和简历",
                  "简历发送至hr@{domain}.cn", "歡迎私訊粉專或來電洽詢"],
        "names": ["鑫源", "福满", "大华", "永安", "金顺"],
        "sep": "，",
    },
    "km": {
        "employer": ["ហាងកាហ្វេ{name}", "ហាងទូរស័ព្ទ{name}", "ភោជនីយដ្ឋាន{name}", "ផ្សារទំនើប{name}", "រោងចក្រ{name}",
                     "សណ្ឋាគារ{name}", "ហាងនំ{name}"],
        "place": ["ភ្នំពេញ", "សៀមរាប", "បាត់ដំបង", "កំពត", "ខេត្តកណ្តាល"],
        "verb": "ត្រូវការជ្រើសរើស",
        "role": ["បុគ្គលិកលក់", "អ្នករត់តុ", "អ្នកគិតលុយ", "បារីស្តា", "អ្នកដឹកជញ្ជូន", "កម្មករផលិតកម្ម", "អ្នកទទួលភ្ញៀវ"],
        "pay": ["ប្រាក់ខែ 220 ដុល្លារ", "ប្រាក់ខែ 250$ + កម្រៃជើងសារ", "ប្រាក់ខែ 200-300 ដុល្លារ",
                "ប្រាក់ឈ្នួល 8 ដុល្លារក្នុងមួយថ្ងៃ", "ប្រាក់ខែតាមការចរចា"],
        "terms": ["ធ្វើការជាវេន", "មាន ប.ស.ស", "មិនត្រូវការបទពិសោធន៍ មានបណ្តុះបណ្តាល", "មានអាហារថ្ងៃត្រង់",
                  "ឈប់សម្រាក ១ ថ្ងៃក្នុងមួយសប្តាហ៍", "មានកិច្ចសន្យាការងារ", "មានកន្លែងស្នាក់នៅសម្រាប់បុគ្គលិក"],
        "apply": ["ទំនាក់ទំនងតាម Telegram {phone}", "ទូរស័ព្ទ {phone}", "ដាក់ពាក្យផ្ទាល់នៅហាង",
                  "ផ្ញើ CV មក hr@{domain}.com.kh"],
        "names": ["សុខសាន្ត", "មង្គល", "អង្គរ", "ពន្លឺ", "ស្រស់ស្អាត"],
        "sep": " ",
    },
    "my": {
        "employer": ["{name} ကော်ဖီဆိုင်", "{name} ဖုန်းဆိုင်", "{name} စားသောက်ဆိုင်", "{name} စူပါမားကက်", "{name} စက်ရုံ",
                     "{name} ဟိုတယ်", "{name} မုန့်ဆိုင်"],
        "place": ["ရန်ကုန်", "မန္တလေး", "နေပြည်တော်", "ပဲခူး", "တောင်ကြီး"],
        "verb": "ခေါ်ယူနေပါသည်",
        "role": ["အရောင်းဝန်ထမ်း", "စားပွဲထိုး", "ငွေကိုင်", "ဘာရစ်စတာ", "ပို့ဆောင်ရေးဝန်ထမ်း", "စက်ရုံအလုပ်သမား", "ဧည့်ကြို"],
        "pay": ["လစာ ၃ သိန်း", "လစာ 350,000 ကျပ် + ကော်မရှင်", "တစ်ရက် 12,000 ကျပ်", "လစာ ၄ သိန်းမှ ၅ သိန်း",
                "လစာ ညှိနှိုင်းနိုင်သည်"],
        "terms": ["အလှည့်ကျ အလုပ်ချိန်", "လူမှုဖူလုံရေး ရှိသည်", "အတွေ့အကြုံ မလိုပါ သင်ပေးပါမည်", "နေ့လယ်စာ ကျွေးသည်",
                  "တစ်ပတ် တစ်ရက် နားရက်", "အလုပ်စာချုပ် ချုပ်ဆိုပါမည်", "ဝန်ထမ်းအဆောင် ရှိသည်"],
        "apply": ["Viber {phone} သို့ ဆက်သွယ်ပါ", "ဖုန်း {phone}", "ဆိုင်သို့ ကိုယ်တိုင် လာရောက်လျှောက်ထားပါ",
                  "CV ကို hr@{domain}.com.mm သို့ ပို့ပါ"],
        "names": ["ရွှေ", "မြတ်", "အောင်", "ငွေ", "ပန်းပွင့်"],
        "sep": "၊ ",
    },
    "ms": {
        "employer": ["Kedai telefon {name}", "Kafe {name}", "Restoran {name}", "Pasar raya mini {name}", "Kilang {name}",
                     "Hotel {name}", "Kedai roti {name}"],
        "place": ["Shah Alam", "Johor Bahru", "Pulau Pinang", "Kuching", "Kota Bharu"],
        "verb": "mencari",
        "role": ["jurujual", "pelayan", "juruwang", "barista", "penghantar", "operator pengeluaran", "penyambut tetamu",
                 "pembantu stor"],
        "pay": ["gaji RM1,700 sebulan", "gaji asas RM1,500 + komisen", "RM8 sejam", "gaji RM2,000 + elaun",
                "gaji ikut kelayakan"],
        "terms": ["kerja syif", "KWSP dan PERKESO", "tanpa pengalaman, latihan disediakan", "makan disediakan",
                  "cuti 1 hari seminggu", "asrama pekerja disediakan", "sesuai untuk pelajar", "kontrak kerja bertulis"],
        "apply": ["WhatsApp {phone}", "Hantar resume ke hr@{domain}.com.my", "Datang terus ke kedai untuk temu duga",
                  "Hubungi Encik {name} di {phone}"],
        "names": ["Maju", "Seri Murni", "Bintang", "Mesra", "Cahaya"],
        "sep": ", ",
    },
    "en": {
        "employer": ["{name} Café", "{name} Mobile Shop", "{name} Restaurant", "{name} Supermarket",
                     "{name} Garments Ltd", "{name} Hotel", "{name} Bakery", "{name} Logistics"],
        "place": ["Westlands, Nairobi", "Ikeja, Lagos", "Makati", "Kuala Lumpur", "Kampala", "Accra", "Pune"],
        "verb": "is hiring a",
        "role": ["sales attendant", "waiter/waitress", "cashier", "barista", "delivery rider", "machine operator",
                 "receptionist", "storekeeper"],
        "pay": ["KES 18,000 per month plus tips", "NGN 80,000 monthly", "P16,000 a month + commission",
                "RM1,800 per month", "UGX 600,000 monthly", "basic salary plus commission on sales",
                "pay according to the minimum wage"],
        "terms": ["shift work", "NSSF and NHIF as per law", "no experience needed, we train you", "lunch provided",
                  "one day off per week", "written contract", "staff accommodation for those from upcountry",
                  "students welcome for weekend shifts"],
        "apply": ["WhatsApp {phone} with your CV", "Walk in with your CV and a copy of your ID",
                  "Email your CV to jobs@{domain}.com", "Call {name} on {phone}"],
        "names": ["Mama", "Sunrise", "Golden Gate", "Baraka", "Unity"],
        "sep": ", ",
    },
}
# How many of edition 3's extra benign records are in each language.
LOCAL_JOBS_PER_LANG = 30


def advert_values(rng: random.Random, lang: str) -> dict:
    """The slots of an advertisement's employer and ways to apply: a name, a phone number, a handle, a domain."""
    return {"name": rng.choice(LOCAL_JOBS[lang]["names"]), "phone": "0" + str(rng.randint(10**8, 10**9 - 1)),
            "handle": handle(rng), "domain": rng.choice(["example", "mycompany", "jobs-local", "shop"])}


def advert(lang: str, head: str, clauses: list[str], apply: str, title: str, as_message: bool) -> tuple[str, dict]:
    """An advertisement in `lang`: its head ("X is hiring Y") and clauses joined as the language joins them, then
    how to apply; a message, or a posting with `title`."""
    end = {"zh": "。", "my": "။ ", "km": "។ "}.get(lang, ". ")
    body = LOCAL_JOBS[lang]["sep"].join([head, *clauses]) + end + apply
    return ("message", {"text": body}) if as_message else ("posting", {"title": title, "description": body})


def local_job(rng: random.Random, lang: str, edition: int = 3) -> tuple[str, dict]:
    """One ordinary job advertisement in `lang`: a message (two thirds) or a posting with a title. From edition 4 a
    quarter of the employers are companies with a name of the shared list, as lures' employers are, and three in ten
    ask to be reached on a chat app of [`CHAT_APPLY`], as three in ten lures do."""
    parts = LOCAL_JOBS[lang]
    vals = advert_values(rng, lang)
    employer = rng.choice(parts["employer"]).format(**vals)
    place, role, pay = rng.choice(parts["place"]), rng.choice(parts["role"]), rng.choice(parts["pay"])
    terms = rng.sample(parts["terms"], rng.randint(1, 3))
    apply = rng.choice(parts["apply"]).format(**vals)
    if edition >= 4:
        if rng.random() < 0.25:
            employer = rng.choice(COMPANY_NAMES)
        if rng.random() < 0.3:
            apply = rng.choice(CHAT_APPLY[lang]).format(**vals)
    if lang == "my":
        head = f"{employer} ({place}) တွင် {role} ခေါ်ယူနေပါသည်"
    elif lang == "zh":
        head = f"{place}{employer}{parts['verb']}{role}"
    else:
        head = f"{employer} ({place}) {parts['verb']} {role}"
    return advert(lang, head, [pay, *terms], apply, f"{role} - {place}", rng.random() < 2 / 3)


# Edition 3 also has, for each language of LOCAL_JOBS, as many compound-recruitment lures written from the same
# parts as the ordinary advertisements above but with what public warnings (UNODC 2023, INTERPOL 2023, the region's
# embassies and police) say marks the lure: the work is abroad (or in a compound town), the pay is far above the local
# wage and often in dollars, travel, visa and housing are free, and nothing is asked but a passport. With only the
# ordinary ones added, a Khmer lure ("work in Thailand, 1000 dollars a month, free travel and housing, Telegram")
# fell from 0.53 to 0.15: the model had learnt the language and a chat app, not the offer.
LOCAL_LURES = {
    "vi": {"abroad": ["Campuchia", "Myanmar", "Lào", "Dubai", "Philippines", "Bavet"],
           "pay": ["lương 1.500-3.000 USD/tháng", "lương 40-60 triệu/tháng", "thu nhập 2.000$ + thưởng"],
           "perks": ["bao vé máy bay", "bao ăn ở", "công ty lo visa", "có xe đón tại cửa khẩu"],
           "reqs": ["không cần kinh nghiệm", "chỉ cần hộ chiếu", "không phỏng vấn, đi ngay trong tuần"]},
    "th": {"abroad": ["กัมพูชา", "เมียวดี", "ลาว", "ดูไบ", "ปอยเปต", "สีหนุวิลล์"],
           "pay": ["เงินเดือน 50,000-80,000 บาท", "เงินเดือน 1,500-2,500 USD", "รายได้เดือนละ 60,000 บาท"],
           "perks": ["ออกค่าตั๋วเครื่องบินให้", "มีที่พักฟรี อาหารฟรี", "บริษัททำวีซ่าให้", "มีรถรับที่ชายแดน"],
           "reqs": ["ไม่ต้องมีประสบการณ์", "มีพาสปอร์ตก็พอ", "ไม่ต้องสัมภาษณ์ เดินทางได้เลย"]},
    "id": {"abroad": ["Kamboja", "Myanmar", "Thailand", "Dubai", "Laos", "Filipina"],
           "pay": ["gaji 1.500-2.500 USD/bulan", "gaji Rp25-40 juta/bulan", "gaji 2000$ + bonus"],
           "perks": ["tiket pesawat gratis", "mess dan makan gratis", "visa diurus perusahaan", "dijemput di bandara"],
           "reqs": ["tanpa pengalaman", "cukup paspor", "tanpa interview, berangkat minggu ini"]},
    "tl": {"abroad": ["Cambodia", "Myanmar", "Thailand", "Dubai", "Laos", "Malaysia"],
           "pay": ["sahod $1,500-$2,500 kada buwan", "P80,000-P120,000 kada buwan", "$2,000 + bonus"],
           "perks": ["libre ang flight", "libreng tirahan at pagkain", "sagot ng company ang visa",
                     "susunduin sa airport"],
           "reqs": ["walang experience", "passport lang ang kailangan", "walang interview, alis agad ngayong linggo"]},
    "zh": {"abroad": ["柬埔寨西港", "缅甸妙瓦底", "迪拜", "菲律宾", "老挝金三角", "柬埔寨金边"],
           "pay": ["月薪1.5-3万", "底薪2000U+提成", "月入过万美金"],
           "perks": ["报销机票", "包吃包住", "公司办签证", "落地接机"],
           "reqs": ["无需经验", "有护照即可", "不用面试，本周出发"]},
    "km": {"abroad": ["ប្រទេសថៃ", "ប្រទេសមីយ៉ាន់ម៉ា", "ប្រទេសឡាវ", "ដូបៃ", "ក្រុងព្រះសីហនុ", "បាវិត"],
           "pay": ["ប្រាក់ខែ 1000-2000 ដុល្លារ", "ប្រាក់ខែ 1500$ + ប្រាក់រង្វាន់", "ប្រាក់ខែខ្ពស់រហូតដល់ 3000$"],
           "perks": ["ធ្វើដំណើរឥតគិតថ្លៃ", "ស្នាក់នៅ និងអាហារឥតគិតថ្លៃ", "ក្រុមហ៊ុនរៀបចំទិដ្ឋាការ", "មានឡានទទួលនៅព្រំដែន"],
           "reqs": ["មិនត្រូវការបទពិសោធន៍", "មានតែលិខិតឆ្លងដែនគឺគ្រប់គ្រាន់", "មិនចាំបាច់សម្ភាសន៍ ចេញដំណើរភ្លាម"]},
    "my": {"abroad": ["ထိုင်းနိုင်ငံ", "ကမ္ဘောဒီးယား", "မြဝတီ", "လာအို", "ဒူဘိုင်း", "ရွှေကုက္ကိုလ်"],
           "pay": ["လစာ 1,500-2,500 ဒေါ်လာ", "လစာ သိန်း ၅၀ အထက်", "လစာ 2000$ + ဘောနပ်စ်"],
           "perks": ["လေယာဉ်လက်မှတ် အခမဲ့", "နေစရာ စားစရာ အခမဲ့", "ဗီဇာ ကုမ္ပဏီက လုပ်ပေးမည်", "နယ်စပ်တွင် ကားဖြင့် လာကြိုမည်"],
           "reqs": ["အတွေ့အကြုံ မလိုပါ", "ပတ်စ်ပို့ ရှိရုံဖြင့် ရပါသည်", "အင်တာဗျူး မလို ချက်ချင်း ထွက်ခွာနိုင်"]},
    "ms": {"abroad": ["Kemboja", "Myanmar", "Thailand", "Dubai", "Laos", "Filipina"],
           "pay": ["gaji USD1,500-2,500 sebulan", "gaji RM8,000-RM12,000", "gaji 2000$ + bonus"],
           "perks": ["tiket kapal terbang percuma", "penginapan dan makan percuma", "visa diuruskan syarikat",
                     "dijemput di lapangan terbang"],
           "reqs": ["tanpa pengalaman", "hanya perlu pasport", "tiada temu duga, berlepas minggu ini"]},
    "en": {"abroad": ["Cambodia", "Myanmar", "Laos", "Dubai", "Thailand", "Sihanoukville"],
           "pay": ["$1,500-$2,500 per month", "salary up to $3,000 monthly", "$2,000 + bonus"],
           "perks": ["free air ticket", "free accommodation and meals", "visa handled by the company",
                     "airport pick-up arranged"],
           "reqs": ["no experience needed", "only a passport required", "no interview, travel this week"]},
}
LURE_EMPLOYER = {"vi": "Công ty tại {place}", "th": "บริษัทที่{place}", "id": "Perusahaan di {place}",
                 "tl": "Kumpanya sa {place}", "zh": "{place}公司", "km": "ក្រុមហ៊ុននៅ{place}", "my": "{place}ရှိ ကုမ္ပဏီ",
                 "ms": "Syarikat di {place}", "en": "A company in {place}"}
LURE_ROLES = {
    "vi": ["nhân viên CSKH", "nhân viên đánh máy", "nhân viên marketing online", "nhân viên chat"],
    "th": ["พนักงานแอดมิน", "พนักงานพิมพ์งาน", "พนักงานการตลาดออนไลน์", "พนักงานแชท"],
    "id": ["customer service", "admin ketik", "marketing online", "operator chat"],
    "tl": ["CSR", "typist", "online marketing staff", "chat support"],
    "zh": ["客服", "打字员", "网络推广", "聊天专员"],
    "km": ["បុគ្គលិក Customer Service", "អ្នកវាយអក្សរ", "បុគ្គលិកទីផ្សារអនឡាញ", "បុគ្គលិក Chat"],
    "my": ["Customer Service ဝန်ထမ်း", "Typing ဝန်ထမ်း", "Online Marketing ဝန်ထမ်း", "Chat ဝန်ထမ်း"],
    "ms": ["khidmat pelanggan", "jurutaip", "pemasaran online", "operator chat"],
    "en": ["customer service agent", "typist", "online marketing staff", "chat operator"],
}

# Edition 4: what a review found edition 3's lures had and its ordinary advertisements had not, so that the model
# could learn it instead of the offer. Lures there are unnamed ("a company in Cambodia") and in Khmer and Burmese
# name their role in English: from edition 4 half of them have a company name, drawn from the same list as a quarter of
# the ordinary advertisements' employers, and Khmer and Burmese lures also name the role in the language.
COMPANY_NAMES = ["Golden Star Group", "Asia Pacific Tech", "Win Win Co., Ltd", "Lucky Dragon Ltd",
                 "New Century Holdings", "Royal Bay Trading", "Sunrise Logistics", "Blue Ocean Co., Ltd",
                 "Prime Solutions", "Green Valley Foods"]
# and in both, three times in ten, the way to apply is a chat app other than the country's own: edition 3 had a
# Telegram contact in seven ordinary advertisements (all Khmer), so the word weighed as a lure's.
CHAT_APPLY = {
    "en": ["Telegram @{handle} for details", "Chat with HR on WhatsApp {phone}", "Add us on LINE: {handle}",
           "Viber or Telegram {phone}"],
    "vi": ["Nhắn Telegram @{handle}", "Liên hệ WhatsApp {phone}", "Nhắn tin qua Messenger của trang",
           "Telegram/Zalo: {phone}"],
    "th": ["ติดต่อทาง Telegram @{handle}", "WhatsApp {phone}", "ทัก Messenger ของเพจ", "สอบถามทาง WeChat: {handle}"],
    "id": ["Chat Telegram @{handle}", "Info lewat LINE: {handle}", "DM Instagram atau Telegram @{handle}",
           "Hubungi via Messenger halaman kami"],
    "tl": ["Mag-chat sa Telegram @{handle}", "WhatsApp o Viber: {phone}", "I-message kami sa Telegram: {phone}",
           "Padalhan kami ng mensahe sa WhatsApp {phone}"],
    "zh": ["Telegram联系@{handle}", "WhatsApp：{phone}", "加LINE：{handle}", "飞机@{handle}咨询"],
    "km": ["ទំនាក់ទំនង WhatsApp {phone}", "ផ្ញើសារតាម Messenger", "Telegram: @{handle}", "ទាក់ទង LINE {handle}"],
    "my": ["Telegram @{handle} သို့ ဆက်သွယ်ပါ", "WhatsApp {phone}", "Messenger မှ စာပို့ပါ", "Telegram: {phone}"],
    "ms": ["Telegram @{handle}", "Mesej kami di Telegram: {phone}", "Hubungi melalui Messenger", "WeChat: {handle}"],
}
# Edition 4 also has ordinary messages of working life that go through a chat app (a shift rota, an interview time,
# a payslip question, a training day): edition 2's task-scam hooks name Telegram in 174 lures against 59 ordinary
# records, so the word alone had come to mean a lure. CHAT_WORK_DRAWS of them in each language, benign only.
CHAT_WORK_DRAWS = 12
CHAT_WORK = {
    "en": ["Hi {name}, next week's rota is pinned in the store's Telegram group. Swap requests by Thursday please.",
           "Your interview with {employer} is confirmed for Tuesday 10:00. Reply here on WhatsApp if you need to move it.",
           "Payslips for March are out. If your overtime looks wrong, message the payroll desk on Telegram @{handle}.",
           "Induction day for new kitchen staff is Monday 8am. Bring black shoes. Questions? LINE {handle}."],
    "vi": ["Chào {name}, lịch ca tuần sau đã ghim trong nhóm Telegram của cửa hàng. Đổi ca báo trước thứ Năm nhé.",
           "Lịch phỏng vấn tại {employer} là 9h sáng thứ Ba. Cần đổi giờ thì nhắn Telegram @{handle}.",
           "Phiếu lương tháng này đã gửi. Thắc mắc giờ tăng ca nhắn WhatsApp {phone} cho phòng nhân sự.",
           "Nhân viên mới đi đào tạo thứ Hai lúc 8h, mang giày đen. Có gì hỏi qua nhóm Telegram nhé."],
    "th": ["สวัสดีคุณ{name} ตารางกะสัปดาห์หน้าปักหมุดไว้ในกลุ่ม Telegram ของร้านแล้ว ขอแลกกะภายในวันพฤหัสนะคะ",
           "ยืนยันนัดสัมภาษณ์กับ {employer} วันอังคาร 10 โมง ถ้าต้องเลื่อนทัก Telegram @{handle} ได้เลย",
           "สลิปเงินเดือนออกแล้ว ถ้าค่าโอทีไม่ตรง ทัก WhatsApp {phone} ฝ่ายบุคคล",
           "พนักงานใหม่อบรมวันจันทร์ 8 โมงเช้า ใส่รองเท้าสีดำ สงสัยถามในกลุ่ม Telegram ได้ค่ะ"],
    "id": ["Halo {name}, jadwal shift minggu depan sudah di-pin di grup Telegram toko. Tukar shift paling lambat Kamis ya.",
           "Jadwal interview di {employer} hari Selasa jam 10. Kalau mau ganti jam, chat Telegram @{handle}.",
           "Slip gaji bulan ini sudah dikirim. Kalau lembur tidak sesuai, hubungi HRD lewat WhatsApp {phone}.",
           "Training karyawan baru hari Senin jam 8, pakai sepatu hitam. Pertanyaan di grup Telegram saja."],
    "tl": ["Hi {name}, naka-pin na sa Telegram group ng store ang schedule next week. Palit-shift bago mag-Huwebes.",
           "Confirmed ang interview mo sa {employer} sa Martes, 10am. Kung kailangan i-resched, i-message sa Telegram @{handle}.",
           "Lumabas na ang payslip ngayong buwan. Kung mali ang OT, i-WhatsApp ang HR sa {phone}.",
           "Training ng mga bagong staff sa Lunes 8am, itim na sapatos. May tanong? Sa Telegram group na lang."],
    "zh": ["{name}你好，下周排班表已置顶在门店Telegram群，换班请在周四前说。",
           "你在{employer}的面试定在周二上午10点，需要改时间请在Telegram @{handle} 留言。",
           "本月工资条已发，加班费有疑问请WhatsApp {phone} 联系人事部。",
           "新员工周一早上8点培训，请穿黑色鞋子，有问题在Telegram群里问。"],
    "km": ["សួស្តី {name} តារាងវេនសប្តាហ៍ក្រោយបានខ្ទាស់ក្នុងក្រុម Telegram របស់ហាងហើយ។ ប្តូរវេនមុនថ្ងៃព្រហស្បតិ៍។",
           "ការសម្ភាសន៍របស់អ្នកនៅ {employer} ថ្ងៃអង្គារ ម៉ោង 10 ព្រឹក។ ចង់ប្តូរម៉ោង ផ្ញើសារ Telegram @{handle}។",
           "បង្កាន់ដៃប្រាក់ខែខែនេះបានផ្ញើហើយ។ បើម៉ោងបន្ថែមខុស សូម WhatsApp {phone} ផ្នែកបុគ្គលិក។",
           "បុគ្គលិកថ្មីហ្វឹកហ្វឺនថ្ងៃច័ន្ទ ម៉ោង 8 ព្រឹក។ មានសំណួរ សួរក្នុងក្រុម Telegram។"],
    "my": ["{name} ရေ၊ နောက်အပတ် အလုပ်ဆိုင်းဇယားကို ဆိုင်ရဲ့ Telegram group မှာ pin ထားပါတယ်။ ဆိုင်းလဲချင်ရင် ကြာသပတေးမတိုင်ခင် ပြောပါ။",
           "{employer} မှာ အင်တာဗျူးကို အင်္ဂါနေ့ မနက် ၁၀ နာရီ သတ်မှတ်ထားပါတယ်။ အချိန်ပြောင်းချင်ရင် Telegram @{handle} ကို စာပို့ပါ။",
           "ဒီလ လစာစလစ် ပို့ပြီးပါပြီ။ အချိန်ပို မှားနေရင် WhatsApp {phone} ကို HR ဆက်သွယ်ပါ။",
           "ဝန်ထမ်းသစ် သင်တန်း တနင်္လာနေ့ မနက် ၈ နာရီ။ မေးစရာရှိရင် Telegram group မှာ မေးပါ။"],
    "ms": ["Hai {name}, jadual syif minggu depan sudah di-pin dalam kumpulan Telegram kedai. Tukar syif sebelum Khamis.",
           "Temu duga anda di {employer} pada Selasa jam 10 pagi. Jika perlu tukar masa, mesej Telegram @{handle}.",
           "Slip gaji bulan ini sudah dihantar. Jika kerja lebih masa tidak betul, WhatsApp HR di {phone}.",
           "Latihan pekerja baru hari Isnin jam 8 pagi, pakai kasut hitam. Soalan dalam kumpulan Telegram."],
}
LURE_ROLES_NATIVE = {
    "km": ["បុគ្គលិកបម្រើអតិថិជន", "បុគ្គលិកឆ្លើយតបសារ"],
    "my": ["စာရိုက်ဝန်ထမ်း", "ဖောက်သည်ဝန်ဆောင်မှု ဝန်ထမ်း"],
}


def local_lure(rng: random.Random, lang: str, edition: int = 3) -> tuple[str, dict]:
    """One compound-recruitment lure in `lang`, in the shape of [`local_job`]'s advertisements (a message, or a
    posting two times in five): the same verbs, with the lure's place, pay, perks and ask. In edition 3 the ways to
    apply are by phone or chat app only (an artefact: the ordinary ones also say "walk in" or "e-mail", and a chat app
    came to weigh as a lure); from edition 4 they are drawn from the same list as the ordinary ones', and half the
    employers are named."""
    jobs, lure = LOCAL_JOBS[lang], LOCAL_LURES[lang]
    vals = advert_values(rng, lang)
    roles = LURE_ROLES[lang] + (LURE_ROLES_NATIVE.get(lang, []) if edition >= 4 else [])
    place, role, pay = rng.choice(lure["abroad"]), rng.choice(roles), rng.choice(lure["pay"])
    offer = rng.sample(lure["perks"], rng.randint(1, 2)) + rng.sample(lure["reqs"], rng.randint(1, 2))
    rng.shuffle(offer)
    if edition >= 4:
        apply = rng.choice(jobs["apply"]).format(**vals)
    else:
        apply = rng.choice([a for a in jobs["apply"] if "{phone}" in a or "{handle}" in a]).format(**vals)
    employer = LURE_EMPLOYER[lang].format(place=place)
    if edition >= 4:
        if rng.random() < 0.5:
            company = rng.choice(COMPANY_NAMES)
            employer = f"{place}{company}" if lang == "zh" else f"{company} ({place})"
        if rng.random() < 0.3:
            apply = rng.choice(CHAT_APPLY[lang]).format(**vals)
    if lang == "my":
        head = f"{employer}တွင် {role} ခေါ်ယူနေပါသည်"
    elif lang == "zh":
        head = f"{employer}{jobs['verb']}{role}"
    else:
        head = f"{employer} {jobs['verb']} {role}"
    return advert(lang, head, [pay, *offer], apply, f"{role} - {place}", rng.random() < 0.6)


# Edition 3's later task-scam stages and fee-charging agents (datasets/synth_later_stages.py), each beside ordinary
# texts with the same words: LATER_STAGE_DRAWS of each list in each language, amounts from the language's own range
# (the currency is in the text). Without them a deposit to unlock a "combination order" or a placement fee for Korea
# scored as ordinary: the lexical member had seen "top up", "VIP" and "fee" only in telco and betting promotions.
LATER_STAGE_DRAWS = 10
AMOUNTS = {"en": ["150", "450", "1,200", "2,500", "8,000"], "vi": ["500.000", "1.500.000", "3.000.000", "8.000.000"],
           "th": ["500", "1,500", "3,000", "8,000", "25,000"], "id": ["250.000", "750.000", "1.500.000", "5.000.000"],
           "tl": ["500", "1,500", "5,000", "15,000"], "zh": ["500", "1,280", "3,000", "8,800"],
           "km": ["50", "120", "300", "800"], "my": ["50,000", "150,000", "500,000", "1,200,000"],
           "ms": ["50", "150", "500", "1,200"]}


# Each edition's shares: a draw below the first cut is an English message, below the second a posting, below the
# third a message in another language, and the rest a task-scam stage (lures) or a task-scam look-alike (benign).
# Edition 1 (300 + 300, no task-scam stages) is what models/lurescan-fast was trained with; edition 2 (400 + 400)
# is models/lurescan-base's encoder's (its distillation and vocabulary read it). The draws are the same for both up
# to the cuts, so edition 1 is byte for byte the file it always was. Edition 3 is edition 2, byte for byte, and then
# LOCAL_JOBS_PER_LANG ordinary job advertisements in each language of LOCAL_JOBS (benign, from a generator of their
# own), as many compound-recruitment lures in their shape, and the later task-scam stages and fee-charging agents
# with their look-alikes. Edition 4 is edition 3 without the artefacts a review found in it (lures and ordinary
# advertisements ask to be reached the same ways, half the lures' employers are named, none of its texts repeats) and
# with ordinary chat-app messages of working life (CHAT_WORK): models/lurescan-base's head is trained on it.
EDITIONS = {1: ((0.45, 0.7, 1.0), (0.5, 0.7, 1.0)), 2: ((0.38, 0.58, 0.78), (0.38, 0.52, 0.70))}
EDITIONS[3] = EDITIONS[4] = EDITIONS[5] = EDITIONS[6] = EDITIONS[7] = EDITIONS[8] = EDITIONS[2]
DEFAULT_PER_CLASS = {1: 300, 2: 400, 3: 400, 4: 400, 5: 400, 6: 400, 7: 400, 8: 400}
# Edition 5 is edition 4, byte for byte, and then the unsolicited "recruiter" hooks of task scams that name no task
# (datasets/synth_recruiter_hooks.py), each draw beside an ordinary text with the same words: this many of each in
# English (its money from sixteen countries), a quarter of it in each other language of RECRUITER_HOOK.
RECRUITER_DRAWS_EN = 40
# Edition 6 is edition 5, byte for byte, and then ordinary gig and shift work (paid per order, per trip, per hour)
# beside the task scams that borrow its words, and licensed overseas recruitment beside compound lures of its shape
# (datasets/synth_gig_work.py), in pairs: this many in English, a quarter of it in each other language of GIG_WORK,
# and OVERSEAS_DRAWS postings.
GIG_DRAWS_EN = 40
OVERSEAS_DRAWS = 30
# Edition 7 is edition 6, byte for byte, and then job postings in the region's languages, ordinary and lure, from
# templates written in pairs of the same shape but drawn independently (datasets/synth_regional_postings.py): this
# many of each label in each language of POSTINGS, twice as many in English (its cities in eight countries).
REGIONAL_POSTING_DRAWS = 12
# Edition 8 is edition 7, byte for byte, and then three lures editions 2 to 7 had too few of (a task scam's "pay to be
# paid", documents and bank details asked for up front, escorted border crossings), each draw beside an ordinary text
# with the same words, and ordinary Chinese advertisements offering board and lodging beside lures that do not
# (datasets/synth_pretexts.py): this many pairs of each family in English, a quarter of it in each other language
# (three quarters for the Chinese board and lodging: pretext_draws).
PRETEXT_DRAWS_EN = 24


def pretext_draws(family: str, lang: str) -> int:
    """Pairs of one family and language in edition 8: Chinese board and lodging is three quarters of the English
    count (enough to bring its ordinary texts level with the lures, see synth_pretexts.BOARD_LODGING_ZH), the other
    languages a quarter."""
    if lang == "en":
        return PRETEXT_DRAWS_EN
    return PRETEXT_DRAWS_EN * 3 // 4 if family == "board-lodging" else PRETEXT_DRAWS_EN // 4
# Edition 4 draws again, up to this many times, a text edition 3 would have repeated (48 did).
REDRAWS = 20


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
    if edition >= 3:
        local = random.Random(seed + 3)
        seen: set[str] = set()

        def unseen(draw):
            """`draw()`, drawn again in edition 4 while it repeats an earlier record (up to REDRAWS times)."""
            for _ in range(REDRAWS if edition >= 4 else 0):
                drawn = draw()
                key = json.dumps(drawn, ensure_ascii=False, sort_keys=True)
                if key not in seen:
                    break
            else:
                drawn = draw()
                key = json.dumps(drawn, ensure_ascii=False, sort_keys=True)
            seen.add(key)
            return drawn

        for lang in sorted(LOCAL_JOBS):
            for _ in range(LOCAL_JOBS_PER_LANG):
                kind, fields = unseen(lambda: local_job(local, lang, edition))
                add(0, kind, lang, f"local-job-{lang}", fields)
                kind, fields = unseen(lambda: local_lure(local, lang, edition))
                add(1, kind, lang, f"local-lure-{lang}", fields)
        if edition >= 4:
            for lang in sorted(CHAT_WORK):
                for _ in range(CHAT_WORK_DRAWS):
                    def draw() -> str:
                        vals = advert_values(local, lang)
                        employer = local.choice(LOCAL_JOBS[lang]["employer"]).format(**vals)
                        return local.choice(CHAT_WORK[lang]).format(employer=employer, **vals)
                    add(0, "message", lang, f"chat-work-{lang}", {"text": unseen(draw)})
        for name, parts in (("task-stage2", TASK_STAGE2), ("fee-agent", FEE_AGENT)):
            for lang in sorted(parts):
                for _ in range(LATER_STAGE_DRAWS):
                    for label, key in ((1, "lure"), (0, "benign")):
                        text = unseen(lambda: local.choice(parts[lang][key]).format(
                            amount=local.choice(AMOUNTS[lang]), pct=local.choice(["20", "25", "30", "40"])))
                        add(label, "message", lang, f"{name}-{key}-{lang}", {"text": text})
        if edition >= 5:
            for lang in sorted(RECRUITER_HOOK):
                for _ in range(RECRUITER_DRAWS_EN if lang == "en" else RECRUITER_DRAWS_EN // 4):
                    for label, key in ((1, "lure"), (0, "benign")):
                        text = unseen(lambda: recruiter_hook(local, lang, key, COMPANIES))
                        add(label, "message", lang, f"recruiter-hook-{key}-{lang}", {"text": text})
        if edition >= 6:
            for lang in sorted(GIG_WORK):
                for _ in range(GIG_DRAWS_EN if lang == "en" else GIG_DRAWS_EN // 4):
                    for label, key in ((1, "lure"), (0, "benign")):
                        text = unseen(lambda: gig_work(local, lang, key))
                        add(label, "message", lang, f"gig-work-{key}-{lang}", {"text": text})
            for _ in range(OVERSEAS_DRAWS):
                for label, key in ((1, "lure"), (0, "benign")):
                    add(label, "posting", "en", f"overseas-{key}", unseen(lambda: overseas(local, key)))
        if edition >= 7:
            for lang in sorted(POSTINGS):
                for _ in range(REGIONAL_POSTING_DRAWS * (2 if lang == "en" else 1)):
                    for label, key in ((1, "lure"), (0, "benign")):
                        record = unseen(lambda: regional_posting(local, lang, key))
                        add(label, "posting", lang, f"regional-posting-{key}-{lang}", record)
        if edition >= 8:
            for family in PRETEXTS:
                for lang in sorted(PRETEXTS[family]):
                    for _ in range(pretext_draws(family, lang)):
                        for label, key in ((1, "lure"), (0, "benign")):
                            text = unseen(lambda: pretext(local, family, lang, key))
                            add(label, "message", lang, f"{family}-{key}-{lang}", {"text": text})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output JSONL file, or - for standard output")
    ap.add_argument("--edition", type=int, choices=sorted(EDITIONS), default=2,
                    help="1: the 300 + 300 records models/lurescan-fast was trained with; 2 (default): 400 + 400 with "
                         "task-scam stages and their look-alikes, what models/lurescan-base's encoder was distilled "
                         "on; 3: edition 2 and 450 + 450 more in nine languages (local job advertisements and lures in "
                         "their shape, later task-scam stages, fee-charging agents, and their look-alikes); 4: edition "
                         "3 with lures and ordinary advertisements asking to be reached the same ways, named lure "
                         "employers, no repeated text and 108 ordinary chat-app messages of working life, what "
                         "models/lurescan-base's head is trained on; 5: edition 4 and the unsolicited \"recruiter\" hooks of task "
                         "scams that name no task, beside ordinary recruiters' messages, salary credits and loan and "
                         "betting promotions (100 + 100; trained on and measured, not shipped: see the model card); 6: edition 5 and "
                         "ordinary gig and shift work paid per order, per trip or per hour beside the task scams "
                         "that borrow its words, and licensed overseas recruitment beside compound lures of its "
                         "shape (130 + 130); 7: edition 6 and job postings in eight of the region's languages, "
                         "ordinary and lure in pairs of the same shape (108 + 108); 8: edition 7 and task scams' \"pay to be paid\", "
                         "documents and bank details asked for up front, and escorted border crossings, each beside "
                         "ordinary texts with the same words, and ordinary Chinese "
                         "advertisements offering board and lodging beside lures that do not (162 + 162; trained on "
                         "and measured, not shipped: see models/lurescan-base.history.md)")
    ap.add_argument("--per-class", type=int, help="lures and benign records each before edition 3's and 4's extra ones (default 300 in edition 1, 400 in 2 to 8)")
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
