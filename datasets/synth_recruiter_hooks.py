"""Part of `synth_lures.py`'s edition 5, written for this project: the first text of an online task scam as it reaches
a stranger's phone when it names no task — an unsolicited "recruiter" offering minutes of work a day for a day's wage
or more, paid daily, reached by a chat app or a link — beside ordinary texts with the same words (a real employer's
recruiter, an interview invitation, a shift offer at an hourly wage, a salary credit, betting and loan promotions that
promise money a day), in English with the currencies of many countries and in six of the region's languages.

Written from what public warnings describe (the US FTC's "job scams" and "task scams" alerts, the UK's Action Fraud,
the Singapore Police Force's job-scam advisories, Kenya's DCI and Communications Authority, Nigeria's police, India's
cyber-crime portal, the Philippine PNP-ACG, Indonesian, Vietnamese and Thai police advisories): a message out of the
blue, "your CV was recommended", "part-time, 10–30 minutes a day", a daily amount far above a day's wage, "no
experience, no interview", "reply YES", a WhatsApp or Telegram contact or a short link. No evaluation data was read
to write them. Names, handles, numbers and links are placeholders.

Slots: `{name}`, `{agency}`, `{company}`, `{role}`, `{minutes}`, `{day}`, `{hour}`, `{contact}`, `{link}`, and the
money of one draw's country: `{daily}` and `{daily2}` (a lure's day, several days' wages: `{daily2}` is the upper
bound's number alone, written after `{daily}` as "KES 3,000-8,000"), `{hourly}` (an ordinary
hourly wage), `{salary}` (an ordinary monthly salary), `{bonus}` (a betting or shop promotion's amount).
"""

import random

# English reaches many countries: each draw takes one country's money, written as its texts write it. Amounts:
# (a lure's daily pay, low and high; an ordinary hourly wage; an ordinary monthly salary; a promotion's amount).
MONEY_EN = [
    ("KES {}", ("3,000", "8,000"), "250", "38,000", "5,000"),
    ("Ksh{}", ("2,500", "6,000"), "200", "32,000", "1,000"),
    ("₦{}", ("50,000", "150,000"), "1,500", "180,000", "20,000"),
    ("NGN {}", ("40,000", "120,000"), "1,200", "150,000", "10,000"),
    ("Rs {}", ("3,000", "9,000"), "150", "25,000", "2,000"),
    ("₹{}", ("2,000", "7,500"), "120", "22,000", "1,500"),
    ("R{}", ("1,500", "4,000"), "45", "12,000", "500"),
    ("£{}", ("200", "650"), "12", "2,100", "50"),
    ("${}", ("300", "800"), "16", "3,200", "100"),
    ("USD {}", ("150", "500"), "5", "900", "50"),
    ("₱{}", ("3,000", "8,000"), "80", "18,000", "1,000"),
    ("PHP {}", ("2,000", "6,000"), "75", "16,000", "500"),
    ("RM{}", ("300", "900"), "10", "2,400", "100"),
    ("GHS {}", ("500", "1,500"), "20", "3,000", "200"),
    ("UGX {}", ("150,000", "400,000"), "3,000", "600,000", "50,000"),
    ("AED {}", ("500", "1,500"), "25", "5,000", "200"),
]

RECRUITER_HOOK = {
    "en": {
        "lure": [
            "Hi, I'm {name} from {agency}. Your CV was recommended to us. We offer part-time work from your phone, "
            "{minutes} minutes a day, {daily}-{daily2} a day. Interested? Message me on WhatsApp {contact}",
            "Congratulations! You have been selected for a remote position. Daily pay {daily}, flexible hours, no "
            "experience needed. Reply YES to receive the details.",
            "Online work opportunity: only {minutes} minutes of work per day, earn {daily} to {daily2} every day. "
            "Register here: {link}",
            "Hello, we are looking for people who want to work from home. Simple tasks on your phone, salary paid "
            "daily, {daily} per day. Age 22+. Telegram: {contact}",
            "Dear job seeker, {agency} is hiring 50 online assistants. No interview, no experience, {daily} a day "
            "guaranteed. Places are limited, click {link}",
            "New AI project: make {daily}-{daily2} every day with just your smartphone. Training is free. Contact the "
            "manager {contact}",
            "Hello! Are you or someone you know looking for extra income? Part-time or full-time, work whenever you "
            "like, paid the same day. Chat with me: {contact}",
            "I am the HR manager of {agency}. You qualify for our online job programme: {minutes} minutes a day, "
            "{daily} daily commission. Add {contact} to start today.",
            "Earn {daily} a day from home! No skills required, we teach you everything. Hurry, only a few slots "
            "left: {link}",
            "Good news: a flexible online job, {daily}-{daily2} per day, payment to your mobile wallet every evening. "
            "Send 'JOB' to {contact}",
        ],
        "benign": [
            "Hi {name}, this is Grace from {company} HR. Thank you for applying for the {role} position. Are you free "
            "for a phone interview on {day} at {hour}?",
            "Your application for {role} at {company} has been received. Shortlisted candidates will be contacted "
            "within two weeks. Please do not reply to this message.",
            "{company} is hiring casual warehouse staff: {hourly} per hour, 8-hour shifts. Apply at our office with "
            "your ID and CV, Monday to Friday 9am-4pm.",
            "Reminder: your shift at {company} is on {day} from {hour}. Reply 1 to confirm or call your supervisor.",
            "Dear {name}, your salary of {salary} for this month has been paid to your account. Thank you for your "
            "work.",
            "Bet on tonight's match and win up to {bonus}! Deposit today and get a 100% bonus. T&Cs apply, 18+ only.",
            "Need cash fast? Get a loan of up to {bonus} in 5 minutes, no paperwork. Dial the code in our app to "
            "apply.",
            "Earn double points every day this week when you shop with your {company} card. Offer ends {day}.",
            "Hello {name}, a recruiter from {company} would like to connect with you about a {role} role. Log in to "
            "your job board account to view the message.",
            "Do you know anyone looking for work? Our shop needs a full-time cashier, {salary} a month. They can "
            "apply in person at {company}, ask for the manager.",
            "Work from home days are Tuesday and Thursday from next month. Please update your calendar. - {company} "
            "HR",
            "Your payout of {bonus} from the freelance platform is on its way to your bank account.",
        ],
    },
    "id": {
        "lure": [
            "Halo, saya {name} dari {agency}. CV Anda direkomendasikan. Kerja paruh waktu dari HP, {minutes} menit "
            "sehari, gaji Rp{daily}00.000 per hari. Minat? Chat WA {contact}",
            "Selamat! Anda terpilih untuk posisi kerja online. Gaji harian Rp{daily}00.000, jam bebas, tanpa "
            "pengalaman. Balas YA untuk info.",
            "Lowongan kerja online: cukup {minutes} menit per hari, penghasilan Rp{daily}00.000-Rp{daily2}00.000 setiap "
            "hari. Daftar: {link}",
            "Dicari orang yang mau kerja dari rumah, tugas sederhana lewat HP, dibayar setiap hari. Telegram: "
            "{contact}",
        ],
        "benign": [
            "Halo {name}, saya dari HRD {company}. Terima kasih sudah melamar posisi {role}. Apakah Anda bisa "
            "wawancara telepon hari {day} jam {hour}?",
            "Lamaran Anda untuk posisi {role} di {company} sudah kami terima. Kandidat terpilih akan dihubungi dalam "
            "dua minggu.",
            "Gaji bulan ini sebesar Rp{salary}.000.000 sudah ditransfer ke rekening Anda.",
            "Pinjaman cair 5 menit hingga Rp{daily}.000.000, tanpa jaminan. Ajukan lewat aplikasi resmi kami.",
            "Dicari karyawan gudang harian, upah sesuai UMR, shift 8 jam. Datang langsung ke kantor {company} bawa "
            "KTP dan CV.",
        ],
    },
    "tl": {
        "lure": [
            "Hi, ako si {name} mula sa {agency}. Inirekomenda ang CV mo. Part-time na trabaho sa cellphone, {minutes} "
            "minuto lang kada araw, ₱{daily},000 kada araw. Interesado? I-message ako sa WhatsApp {contact}",
            "Congrats! Napili ka para sa isang online na trabaho. Arawang sahod ₱{daily},000, walang experience "
            "kailangan. Mag-reply ng YES para sa detalye.",
            "Online job: {minutes} minuto lang kada araw, kumita ng ₱{daily},000-₱{daily2},000 araw-araw. Mag-register "
            "dito: {link}",
        ],
        "benign": [
            "Hi {name}, taga-HR ako ng {company}. Salamat sa pag-apply bilang {role}. Pwede ka ba sa phone interview "
            "sa {day}, {hour}?",
            "Natanggap na namin ang application mo para sa {role} sa {company}. Tatawagan ang mga na-shortlist sa "
            "loob ng dalawang linggo.",
            "Naipadala na ang sahod mo ngayong buwan na ₱1{salary},000 sa iyong account.",
            "Loan hanggang ₱{daily}0,000 sa loob ng 5 minuto! Mag-apply sa aming app.",
        ],
    },
    "vi": {
        "lure": [
            "Chào bạn, mình là {name} bên {agency}. Hồ sơ của bạn được giới thiệu. Việc bán thời gian trên điện "
            "thoại, {minutes} phút mỗi ngày, thu nhập {daily}00.000đ/ngày. Quan tâm nhắn Zalo {contact}",
            "Chúc mừng! Bạn được chọn vào vị trí làm việc online. Lương ngày {daily}00.000đ, giờ giấc tự do, không cần "
            "kinh nghiệm. Trả lời CÓ để nhận thông tin.",
            "Việc làm online: chỉ {minutes} phút mỗi ngày, thu nhập {daily}00.000đ-{daily2}00.000đ mỗi ngày. Đăng ký: "
            "{link}",
        ],
        "benign": [
            "Chào {name}, mình là nhân sự của {company}. Cảm ơn bạn đã ứng tuyển vị trí {role}. Bạn có thể phỏng vấn "
            "qua điện thoại vào {day} lúc {hour} không?",
            "Hồ sơ ứng tuyển vị trí {role} tại {company} đã được tiếp nhận. Ứng viên phù hợp sẽ được liên hệ trong "
            "hai tuần.",
            "Lương tháng này {salary}.000.000đ đã được chuyển vào tài khoản của bạn.",
            "Vay nhanh đến {daily}0 triệu trong 5 phút, không cần thế chấp. Đăng ký trên ứng dụng.",
        ],
    },
    "th": {
        "lure": [
            "สวัสดีค่ะ {name} จาก {agency} ค่ะ ได้รับการแนะนำประวัติของคุณมา งานพาร์ทไทม์ทางมือถือ วันละ {minutes} นาที "
            "รายได้วันละ {daily},000 บาท สนใจแอดไลน์ {contact}",
            "ยินดีด้วย คุณได้รับการคัดเลือกทำงานออนไลน์ รายได้วันละ {daily},000 บาท ไม่ต้องมีประสบการณ์ ตอบกลับ YES เพื่อรับรายละเอียด",
            "งานออนไลน์ ทำแค่วันละ {minutes} นาที รายได้ {daily},000-{daily2},000 บาททุกวัน สมัครที่ {link}",
        ],
        "benign": [
            "สวัสดีครับคุณ{name} ฝ่ายบุคคล {company} ขอบคุณที่สมัครตำแหน่ง{role} สะดวกสัมภาษณ์ทางโทรศัพท์วัน{day} เวลา {hour} ไหมครับ",
            "เราได้รับใบสมัครตำแหน่ง{role}ของคุณแล้ว ผู้ผ่านการคัดเลือกจะได้รับการติดต่อภายในสองสัปดาห์ - {company}",
            "เงินเดือนเดือนนี้ 1{salary},000 บาท โอนเข้าบัญชีของคุณแล้ว",
            "สินเชื่อด่วน อนุมัติใน 5 นาที วงเงินสูงสุด {daily}0,000 บาท สมัครผ่านแอป",
        ],
    },
    "zh": {
        "lure": [
            "您好，我是{agency}的{name}，您的简历被推荐给我们。手机兼职，每天{minutes}分钟，日收入{daily}00-{daily2}00元。"
            "有兴趣加飞机{contact}",
            "恭喜！您已被选中参加线上工作，日薪{daily}00元，时间自由，无需经验。回复1了解详情。",
            "线上工作机会：每天只需{minutes}分钟，每天收入{daily}00-{daily2}00元，当天结算。注册：{link}",
        ],
        "benign": [
            "{name}您好，我是{company}人事部，感谢您应聘{role}一职。请问{day}{hour}方便电话面试吗？",
            "您应聘{company}{role}的简历已收到，通过筛选的候选人将在两周内接到通知。",
            "您本月工资{salary}000元已发放至您的账户。",
            "急用钱？最高可借{daily}0000元，5分钟到账，请在官方应用内申请。",
        ],
    },
    "ms": {
        "lure": [
            "Hai, saya {name} dari {agency}. CV anda telah disyorkan. Kerja sambilan dari telefon, {minutes} minit "
            "sehari, RM{daily}00 sehari. Berminat? WhatsApp {contact}",
            "Tahniah! Anda terpilih untuk kerja online. Gaji harian RM{daily}00, masa fleksibel, tiada pengalaman "
            "diperlukan. Balas YA untuk maklumat.",
        ],
        "benign": [
            "Hai {name}, saya dari HR {company}. Terima kasih kerana memohon jawatan {role}. Boleh temu duga melalui "
            "telefon pada {day} jam {hour}?",
            "Gaji bulan ini RM{salary},000 telah dimasukkan ke akaun anda.",
            "Pinjaman peribadi sehingga RM{daily}0,000, lulus dalam 5 minit. Mohon melalui aplikasi kami.",
        ],
    },
}

AGENCIES = ["Bright Future Recruitment", "Global Talent Agency", "Star Link HR", "Apex Staffing", "Prime Careers",
            "Sunrise Jobs"]
ROLES = {
    "en": ["sales assistant", "driver", "accounts clerk", "nurse aide", "store supervisor", "receptionist"],
    "id": ["staf admin", "sopir", "kasir", "perawat", "staf gudang"],
    "tl": ["sales assistant", "driver", "cashier", "receptionist", "warehouse staff"],
    "vi": ["nhân viên bán hàng", "tài xế", "kế toán", "lễ tân", "thủ kho"],
    "th": ["พนักงานขาย", "พนักงานขับรถ", "พนักงานบัญชี", "พนักงานต้อนรับ"],
    "zh": ["销售助理", "司机", "会计文员", "前台接待", "仓库管理员"],
    "ms": ["pembantu jualan", "pemandu", "kerani akaun", "penyambut tetamu"],
}
DAYS = {"en": ["Monday", "Tuesday", "Thursday", "Friday"], "id": ["Senin", "Selasa", "Kamis", "Jumat"],
        "tl": ["Lunes", "Martes", "Huwebes", "Biyernes"], "vi": ["thứ Hai", "thứ Ba", "thứ Năm", "thứ Sáu"],
        "th": ["จันทร์", "อังคาร", "พฤหัสบดี", "ศุกร์"], "zh": ["周一", "周二", "周四", "周五"],
        "ms": ["Isnin", "Selasa", "Khamis", "Jumaat"]}
HOURS = ["9:00", "10:30", "14:00", "15:30"]
FIRST_NAMES = ["Sarah", "Linda", "Kevin", "Amina", "Rose", "Daniel", "Mei", "Ana", "Dewi", "Lan"]
LINKS = ["bit.ly/job-{}", "wa.me/{}", "t.me/+{}", "jobs-online{}.top", "s.id/kerja{}"]


def recruiter_hook(rng: random.Random, lang: str, key: str, companies: list[str]) -> str:
    """One `key` ("lure" or "benign") text of RECRUITER_HOOK[lang], its slots filled from `rng`."""
    number = "".join(str(rng.randint(0, 9)) for _ in range(9))
    vals = {"name": rng.choice(FIRST_NAMES), "agency": rng.choice(AGENCIES), "company": rng.choice(companies),
            "role": rng.choice(ROLES[lang]), "minutes": rng.choice(["10", "15", "20", "30"]),
            "day": rng.choice(DAYS[lang]), "hour": rng.choice(HOURS), "contact": rng.choice(["+" + number, "@hr_" + number[:4]]),
            "link": rng.choice(LINKS).format(number[:5]), "daily": str(rng.randint(2, 9)),
            "daily2": str(rng.randint(10, 20)), "salary": str(rng.randint(4, 9)), "hourly": "", "bonus": ""}
    if lang == "en":
        form, (low, high), hourly, salary, bonus = rng.choice(MONEY_EN)
        vals.update(daily=form.format(low), daily2=high, hourly=form.format(hourly),
                    salary=form.format(salary), bonus=form.format(bonus))
    return rng.choice(RECRUITER_HOOK[lang][key]).format(**vals)
