"""Part of `synth_lures.py`'s edition 6, written for this project: ordinary gig and shift work — delivery riders and
drivers paid per order or per trip, hourly tutors and event staff, work from home for a named employer, weekly
payouts — beside the task scams that borrow its words ("paid per order", "flexible hours", "work from your phone"),
and ordinary overseas recruitment by a licensed agency beside the compound-recruitment postings that borrow its shape.

Why: a model trained on edition 5 flagged ordinary delivery-rider and courier advertisements paid per order, and
English postings for drivers and nurses abroad, as lures (the model card's edition 5 section): edition 5 had task
scams "paid per order" and no ordinary job paid that way, and lures abroad with no ordinary job abroad. Each draw
here is a pair, an ordinary text and a lure of the same shape, so that what the model learns is the offer, not the
words: what an ordinary gig asks (a licence, a vehicle, documents, an app from the official store, an office to come
to, pay at the local rate) against what a task scam asks (a mentor on a chat app, a day's pay far above the wage, a
top-up before a withdrawal). Written from what platforms and labour ministries publish for applicants (rider and
driver sign-up pages, the Philippines' Department of Migrant Workers' advice on licensed agencies, the UK's NHS
international recruitment pages) and from public task-scam warnings (the same as synth_recruiter_hooks.py's). No
evaluation data was read to write them. Names, handles, numbers and links are placeholders.

Slots: `{name}`, `{company}` (a platform or an employer), `{city}`, `{day}`, `{hour}`, `{contact}`, `{link}`,
`{domain}`, and the money of one draw's country as synth_recruiter_hooks.MONEY_EN writes it: `{hourly}` (an ordinary
hourly wage or a fare), `{salary}` (an ordinary monthly salary), `{bonus}` (a week's payout or a top-up), `{daily}`
and `{daily2}` (a lure's day).
"""

import random

from synth_recruiter_hooks import DAYS, FIRST_NAMES, HOURS, LINKS, MONEY_EN

# The platforms and employers of gig and shift work, real ones included: task scams impersonate them, so lures and
# ordinary texts draw from the same list.
PLATFORMS = ["Grab", "Gojek", "foodpanda", "Lalamove", "Shopee Express", "Glovo", "Bolt", "Uber Eats", "Jumia Food",
             "J&T Express", "Ninja Van", "Lazada Logistics", "Chowdeck", "Deliveroo"]
CITIES = {"en": ["Nairobi", "Lagos", "Accra", "Manila", "Cebu", "Kuala Lumpur", "Johannesburg", "Kampala", "London",
                 "Pune", "Dubai"],
          "id": ["Jakarta", "Surabaya", "Bandung", "Medan", "Makassar"], "tl": ["Quezon City", "Cebu", "Davao", "Pasig"],
          "vi": ["Hà Nội", "TP.HCM", "Đà Nẵng", "Cần Thơ"], "th": ["กรุงเทพฯ", "เชียงใหม่", "ขอนแก่น", "ภูเก็ต"],
          "ms": ["Kuala Lumpur", "Johor Bahru", "Penang", "Kuching"], "zh": ["深圳", "成都", "杭州", "吉隆坡"]}

GIG_WORK = {
    "en": {
        "benign": [
            "{company} is looking for delivery riders in {city}. You are paid per delivery plus tips and choose your "
            "own hours. You need your own motorbike, a valid licence and ID. Sign up in the {company} rider app from "
            "the official app store.",
            "Become a {company} driver partner in {city}: flexible hours, earnings paid weekly to your bank account. "
            "Bring your licence, vehicle papers and police clearance to our partner centre, Mon-Sat 9am-5pm.",
            "Hi {name}, your {company} rider account is approved. Come to the safety briefing on {day} at {hour} to "
            "collect your jacket and delivery box.",
            "Weekend tutors wanted in {city}: maths and English for secondary students, {hourly} an hour, lessons at "
            "the learners' homes. Send your CV and certificates to careers@{domain}.com.",
            "{company} customer support, work from home: full-time, {salary} a month, laptop provided after two "
            "weeks' training. Apply on our careers page; interviews are by video call.",
            "Event staff needed for the trade fair in {city} on {day}: {hourly} an hour, 6-hour shifts, lunch "
            "provided. Register at the venue office with your ID.",
            "Your earnings of {bonus} for this week's {company} deliveries have been sent to your bank account. See "
            "the breakdown per order in the app.",
            "Freelance translators wanted, English to Swahili, French or Tagalog. Paid per word once the client "
            "approves each project, invoiced monthly. Apply with a sample at {domain}.com/careers.",
            "Part-time shop assistant in {city}, evenings and weekends, {hourly} an hour. Bring your CV to the "
            "{company} pick-up point and ask for the supervisor.",
            "{company}: peak-hour incentive this Friday 6-9pm for riders in {city}, an extra {hourly} for every "
            "completed order. Open the app to see your zone.",
            "Hi {name}, thanks for signing up to drive with {company}. Upload your licence and the vehicle inspection "
            "report in the app to finish your application.",
            "Courier wanted in {city}: parcel deliveries, paid per drop, about 60 drops a day, fuel allowance. Own "
            "motorbike and smartphone. Apply at the {company} hub with your licence.",
        ],
        "lure": [
            "{company} online partner programme: work from home grabbing orders in our app and earn {daily} a day, "
            "commission paid per order. No experience. Contact your mentor on WhatsApp {contact}",
            "Hiring online assistants for {company}: no motorbike needed, just complete product orders on your phone "
            "and earn {daily}-{daily2} a day. Register: {link}",
            "Hi {name}, your {company} account is approved! To unlock higher-paying orders, top up {bonus} first; it "
            "is returned with today's commission. Telegram {contact}",
            "Flexible hours, paid per task: like products and write reviews for online shops, {daily} a day from your "
            "phone. Contact the manager on WhatsApp {contact}",
            "Your weekly payout of {bonus} is waiting: complete 3 more merchant orders to withdraw it. Your mentor "
            "will guide you, add {contact}",
            "Part-time job for {company} sellers: boost shop ratings by placing orders, we refund your money plus 30% "
            "commission the same day. WhatsApp {contact}",
            "Translation job from home, {daily} a day, no skills needed, the app translates for you. Pay the {bonus} "
            "activation fee to open your account: {link}",
            "Data entry from home, {daily}-{daily2} a day, paid to your mobile wallet every evening. Limited slots, "
            "message HR on Telegram {contact}",
        ],
    },
    "id": {
        "benign": [
            "Dicari kurir {company} area {city}, dibayar per paket, bensin ditanggung sebagian. Syarat: motor sendiri, "
            "SIM C, KTP. Daftar langsung di hub {company} terdekat.",
            "Jadi mitra driver {company} di {city}: jam kerja bebas, pendapatan dicairkan tiap minggu ke rekening. "
            "Bawa SIM, STNK dan SKCK ke kantor mitra, Senin-Sabtu 09.00-17.00.",
            "Halo {name}, akun mitra {company} Anda sudah aktif. Silakan ikut pelatihan keselamatan hari {day} jam "
            "{hour} dan ambil jaket serta tas pengiriman.",
            "Dicari guru les privat matematika dan bahasa Inggris di {city}, dibayar per jam, mengajar di rumah murid. "
            "Kirim CV ke WhatsApp {contact}",
        ],
        "lure": [
            "Kerja online mitra {company}: cukup ambil pesanan di aplikasi dari HP, komisi per pesanan, penghasilan "
            "Rp{daily}00.000 per hari. Hubungi mentor di WA {contact}",
            "Akun Anda sudah disetujui! Untuk membuka pesanan komisi tinggi, isi saldo Rp{daily}00.000 dulu, dana "
            "kembali bersama komisi hari ini. Telegram {contact}",
            "Kerja dari rumah, bayar per tugas: like produk dan tulis ulasan toko online, Rp{daily}00.000 sehari. "
            "Daftar: {link}",
        ],
    },
    "tl": {
        "benign": [
            "Hiring ng delivery riders ang {company} sa {city}, bayad kada delivery plus tips, ikaw ang pipili ng "
            "oras. Kailangan ng sariling motor, lisensya at valid ID. Mag-sign up sa official app.",
            "Hi {name}, approved na ang rider account mo sa {company}. Pumunta sa safety briefing sa {day}, {hour}, "
            "para makuha ang jacket at delivery box.",
            "Naghahanap kami ng part-time tutor sa Math at English sa {city}, bayad kada oras, sa bahay ng estudyante. "
            "Ipadala ang resume sa {contact}",
        ],
        "lure": [
            "Online job bilang partner ng {company}: mag-grab ng orders sa app gamit ang cellphone, komisyon kada "
            "order, kumita ng ₱{daily},000 kada araw. I-message ang mentor sa Telegram {contact}",
            "Approved na ang account mo! Para ma-unlock ang mas malaking orders, mag-top up muna ng ₱{daily},000, "
            "ibabalik ito kasama ang komisyon ngayong araw. WhatsApp {contact}",
            "Flexible na oras, bayad kada task: mag-like ng produkto at mag-review ng online shops, ₱{daily},000 "
            "kada araw. Register: {link}",
        ],
    },
    "vi": {
        "benign": [
            "{company} tuyển tài xế giao hàng tại {city}, thu nhập theo từng đơn cộng tiền tip, tự chọn giờ chạy. Yêu "
            "cầu có xe máy, bằng lái, CCCD. Đăng ký trên ứng dụng tài xế chính thức.",
            "Chào {name}, tài khoản tài xế {company} của bạn đã được duyệt. Mời bạn dự buổi hướng dẫn an toàn {day} "
            "lúc {hour} để nhận áo và thùng hàng.",
            "Tuyển gia sư Toán, Tiếng Anh tại {city}, trả lương theo giờ, dạy tại nhà học sinh. Gửi CV qua Zalo "
            "{contact}",
        ],
        "lure": [
            "Việc online cộng tác viên {company}: nhận đơn hàng trên app bằng điện thoại, hoa hồng mỗi đơn, thu nhập "
            "{daily}00.000đ/ngày. Liên hệ người hướng dẫn qua Telegram {contact}",
            "Tài khoản của bạn đã được duyệt! Để mở đơn hoa hồng cao, nạp trước {daily}00.000đ, tiền được hoàn lại "
            "cùng hoa hồng trong ngày. Zalo {contact}",
            "Giờ giấc tự do, trả tiền theo nhiệm vụ: thả tim sản phẩm, viết đánh giá cho shop online, {daily}00.000đ "
            "mỗi ngày. Đăng ký: {link}",
        ],
    },
    "th": {
        "benign": [
            "{company} รับสมัครไรเดอร์ส่งอาหารใน{city} รายได้ต่อออเดอร์บวกทิป เลือกเวลาทำงานเองได้ ต้องมีมอเตอร์ไซค์ ใบขับขี่ "
            "และบัตรประชาชน สมัครผ่านแอปไรเดอร์ทางการ",
            "สวัสดีคุณ{name} บัญชีไรเดอร์ {company} ของคุณได้รับการอนุมัติแล้ว เชิญเข้าอบรมความปลอดภัยวัน{day} เวลา {hour} "
            "เพื่อรับเสื้อและกล่องส่งของ",
            "รับสมัครครูสอนพิเศษคณิตศาสตร์และภาษาอังกฤษใน{city} ค่าสอนรายชั่วโมง สอนที่บ้านนักเรียน ส่งประวัติทางไลน์ {contact}",
        ],
        "lure": [
            "งานออนไลน์พาร์ทเนอร์ {company} แค่กดรับออเดอร์ในแอปผ่านมือถือ ได้ค่าคอมทุกออเดอร์ รายได้วันละ {daily},000 บาท "
            "ติดต่อพี่เลี้ยงทางไลน์ {contact}",
            "บัญชีของคุณได้รับการอนุมัติแล้ว หากต้องการปลดล็อกออเดอร์ค่าคอมสูง กรุณาเติมเงิน {daily},000 บาทก่อน "
            "ได้คืนพร้อมค่าคอมวันนี้ เทเลแกรม {contact}",
            "เวลาอิสระ จ่ายตามงาน กดไลก์สินค้าและรีวิวร้านค้าออนไลน์ วันละ {daily},000 บาท สมัคร {link}",
        ],
    },
    "ms": {
        "benign": [
            "{company} mencari penghantar makanan di {city}, dibayar ikut setiap penghantaran serta tip, pilih masa "
            "sendiri. Perlu motosikal sendiri, lesen memandu dan IC. Daftar melalui aplikasi rasmi.",
            "Hai {name}, akaun rider {company} anda telah diluluskan. Sila hadir taklimat keselamatan pada {day} jam "
            "{hour} untuk mengambil jaket dan beg penghantaran.",
            "Tutor sambilan Matematik dan Bahasa Inggeris diperlukan di {city}, bayaran ikut jam, mengajar di rumah "
            "pelajar. Hantar resume ke WhatsApp {contact}",
        ],
        "lure": [
            "Kerja online rakan {company}: ambil pesanan dalam aplikasi dari telefon, komisen setiap pesanan, "
            "pendapatan RM{daily}00 sehari. Hubungi mentor di Telegram {contact}",
            "Akaun anda telah diluluskan! Untuk membuka pesanan komisen tinggi, tambah nilai RM{daily}00 dahulu, wang "
            "dipulangkan bersama komisen hari ini. WhatsApp {contact}",
        ],
    },
    "zh": {
        "benign": [
            "{company}{city}站招聘骑手，按单计费另有小费，时间自由。需自备电动车、驾驶证和身份证，请在官方骑手应用内报名。",
            "{name}您好，您的{company}骑手账号已审核通过，请于{day}{hour}参加安全培训并领取工服和餐箱。",
            "{city}招聘数学、英语家教，按课时计费，上门授课。简历请发微信{contact}",
        ],
        "lure": [
            "{company}线上合作项目：手机在应用里抢单即可，每单返佣，日入{daily}00元。联系导师飞机{contact}",
            "您的账户已审核通过！如需解锁高佣金订单，请先充值{daily}00元，本金连同今日佣金一起返还。联系{contact}",
            "时间自由，按任务结算：给商品点赞、写店铺好评，日赚{daily}00元。注册：{link}",
        ],
    },
}
# The region's other currencies are written in the templates; for zh, id, vi, th and ms `{daily}` is one digit.

# Overseas recruitment as postings, in English: a licensed agency's job order abroad against a compound lure of the
# same shape. (title, location, salary_range, description, requirements, benefits).
OVERSEAS = {
    "benign": [
        ("Heavy Truck Driver - {dest}", "{dest}", "{dest_salary} per month",
         "{agency} (licence no. {licence}) is recruiting for {employer} in {dest}. Two-year contract, 8-hour shifts, "
         "overtime paid as the host country's labour law requires.",
         "At least 3 years' experience with heavy vehicles, a valid professional licence, pass the trade test and the "
         "medical examination.",
         "Accommodation and transport provided, a ticket home at the end of the contract, end-of-service benefit. "
         "Apply in person at our office with your documents; we are licensed by the labour ministry."),
        ("Staff Nurse - {dest}", "{dest}", "{dest_salary} per month",
         "{employer} in {dest} is recruiting registered nurses through {agency} (licence no. {licence}). Ward and ICU "
         "posts, two-year renewable contract.",
         "Bachelor's degree in nursing, an active nursing licence, 2 years' hospital experience, English test as the "
         "host country's nursing council requires.",
         "Accommodation allowance, annual leave, licensing exam fees reimbursed. Interviews by video call with the "
         "hospital."),
        ("Caregiver - {dest}", "{dest}", "{dest_salary} per month",
         "Caregivers for elderly-care homes in {dest}, hired under the government-to-government programme through "
         "{agency} (licence no. {licence}).",
         "Caregiving certificate, basic language test passed, medical and police clearance.",
         "Employer-paid visa, language training before departure, contract reviewed by the labour attaché."),
        ("Accountant", "{city}", "{salary} per month",
         "{employer} is hiring an accountant for its {city} office: monthly management accounts, bank reconciliations, "
         "tax returns and the annual audit.",
         "Degree in accounting and a professional qualification (ACCA, ICAN, CPA or part), 3 years' experience.",
         "Medical cover, pension, 21 days' leave. Send your CV and certificates to careers@{domain}.com."),
    ],
    "lure": [
        ("Customer Service Representative - {lure_dest}", "{lure_dest}", "USD 1,500-3,000 per month",
         "Online customer service for an international company in {lure_dest}. Free flight, visa, food and "
         "accommodation. Easy work in a modern office building.",
         "Age 18-35, basic typing, English or Chinese, no experience needed.",
         "High salary plus commission, leave within one week. Contact HR on Telegram {contact}"),
        ("Driver - {lure_dest}", "{lure_dest}", "USD 1,200-2,000 per month",
         "Company drivers needed urgently in {lure_dest}. Company pays ticket and visa, you only need a passport.",
         "Any licence accepted, no experience needed, age 20-40.",
         "Free housing and meals, salary paid in USDT, depart this week. WhatsApp {contact}"),
        ("Nurse / Caregiver - {lure_dest}", "{lure_dest}", "USD 2,000-3,500 per month",
         "Hospital in {lure_dest} needs nurses and caregivers now. No exam, no agency fee, we process your visa in "
         "3 days.",
         "Fresh graduates welcome, no licence needed, send your passport photo.",
         "Free flight and hotel, high salary, start immediately. Message the recruiter on Telegram {contact}"),
        ("Accountant / Finance Assistant - {lure_dest}", "{lure_dest}", "USD 1,800-2,800 per month",
         "Online finance team of an investment company in {lure_dest}. Training provided, work on the computer.",
         "Basic English and computer, no degree needed, age 18-35.",
         "Free flight, visa and accommodation, bonus every month. Add HR on WhatsApp {contact}"),
    ],
}
DESTINATIONS = [("Saudi Arabia", "SAR 4,000"), ("the United Arab Emirates", "AED 4,500"), ("Qatar", "QAR 4,000"),
                ("Japan", "JPY 220,000"), ("Taiwan", "TWD 30,000"), ("the United Kingdom", "GBP 2,300"),
                ("Canada", "CAD 3,800"), ("Germany", "EUR 2,800")]
LURE_DESTINATIONS = ["Sihanoukville, Cambodia", "Myawaddy, Myanmar", "Bokeo, Laos", "Phnom Penh", "Dubai", "Bangkok",
                     "the Golden Triangle SEZ"]
LICENSED_AGENCIES = ["Northstar Manpower Services", "Pacific Overseas Placement", "Harbor Human Resources",
                     "Meridian Workforce International"]
EMPLOYERS = ["a national transport company", "a public hospital", "a private medical centre", "a logistics group",
             "an elderly-care operator", "a manufacturing company", "a regional bank"]


def values(rng: random.Random, lang: str) -> dict:
    """One draw's slots for `lang`: English takes one country's money from MONEY_EN."""
    number = "".join(str(rng.randint(0, 9)) for _ in range(9))
    vals = {"name": rng.choice(FIRST_NAMES), "company": rng.choice(PLATFORMS), "city": rng.choice(CITIES[lang]),
            "day": rng.choice(DAYS.get(lang, DAYS["en"])), "hour": rng.choice(HOURS),
            "contact": rng.choice(["+" + number, "@hr_" + number[:4]]), "link": rng.choice(LINKS).format(number[:5]),
            "domain": rng.choice(["example", "mycompany", "careers-portal"]), "daily": str(rng.randint(2, 9)),
            "daily2": "", "hourly": "", "salary": "", "bonus": ""}
    if lang == "en":
        form, (low, high), hourly, salary, bonus = rng.choice(MONEY_EN)
        vals.update(daily=form.format(low), daily2=high, hourly=form.format(hourly), salary=form.format(salary),
                    bonus=form.format(bonus))
    return vals


def gig_work(rng: random.Random, lang: str, key: str) -> str:
    """One `key` ("lure" or "benign") message of GIG_WORK[lang], its slots filled from `rng`."""
    return rng.choice(GIG_WORK[lang][key]).format(**values(rng, lang))


def overseas(rng: random.Random, key: str) -> dict:
    """One `key` ("lure" or "benign") posting of OVERSEAS, its slots filled from `rng`."""
    vals = values(rng, "en")
    dest, dest_salary = rng.choice(DESTINATIONS)
    vals.update(dest=dest, dest_salary=dest_salary, lure_dest=rng.choice(LURE_DESTINATIONS),
                agency=rng.choice(LICENSED_AGENCIES), employer=rng.choice(EMPLOYERS),
                licence=f"{rng.randint(10, 99)}-{rng.randint(100, 999)}-{rng.randint(2019, 2026)}")
    keys = ("title", "location", "salary_range", "description", "requirements", "benefits")
    return {k: v.format(**vals) for k, v in zip(keys, rng.choice(OVERSEAS[key]))}
