"""Part of `synth_lures.py`'s edition 8, written for this project: three lures that editions 2 to 7 wrote too few of,
each beside ordinary texts with the same words.

- **Pay to be paid** (English): a task scam's "top up 100, receive 160 back" from a tutor or a receptionist, against
  telco and e-wallet cashback promotions and bank deposit notices, where the money back is smaller and a brand's.
- **Documents and bank details up front**: a "job" that starts by asking for a photo of the applicant's ID card,
  bank card, a selfie holding it or a one-time code, against employers and banks that take documents after an offer,
  in person or on their own portal, and that never ask for a code.
- **Escorted border crossings**: recruitment for work across a border with a car, a boat or a guide to take the
  applicant over, against tours and transfers that cross at a checkpoint with a passport and visa, licensed
  overseas recruitment and cross-border transport jobs.
- **Board and lodging in Chinese**: ordinary advertisements that offer them, beside lures abroad that do not (see
  BOARD_LODGING_ZH).

Why: blind lures written for the 2026-12-05 session (never trained on) were missed where they took these shapes: a
tutor's "top up 100 to receive 160" (0.010), "data entry, send your ID and bank card photo" (0.153), "call center in
Poipet, a car picks you up at the border" (0.076). The texts here are new; none of those lures is among them.
Written from public warnings: the US FTC on task scams (2023-2024) and on job scams that ask for ID and bank
details; UNODC's 2023 report on the compounds (victims driven across the Mae Sot and Poipet borders); the
Philippines' DMW, Thailand's and Vietnam's police advisories on escorted crossings. No evaluation data was read to
write them; names, handles, numbers and links are placeholders.

Slots: `{name}`, `{contact}`, `{link}`, `{brand}` (a telco, wallet or bank), `{company}` (an employer),
`{border}` (a border town), `{city}` and the money of one draw, as synth_gig_work.values writes it for English:
`{bonus}` (an amount paid in), `{daily}` (a lure's day), `{salary}` (an ordinary monthly salary).
"""

from __future__ import annotations

import random

from synth_gig_work import values

BRANDS = ["Globe", "Smart", "Safaricom", "M-Pesa", "GCash", "Maya", "Airtel", "MTN", "Maxis", "Celcom", "AIS",
          "Viettel", "Telkomsel", "Dana", "OVO"]
EMPLOYERS = ["Harbour Foods", "the City Library", "Northgate Hospital", "Sunrise Logistics", "Keller Engineering",
             "Green Valley School", "Metro Bank", "Blue Ocean Hotel"]
BORDERS = {"en": ["Poipet", "Mae Sot", "Myawaddy", "Bavet", "Tachileik", "Mae Sai", "Huay Xai", "Moc Bai"],
           "th": ["แม่สอด", "ปอยเปต", "แม่สาย", "อรัญประเทศ"], "vi": ["Mộc Bài", "Xa Mát", "Tịnh Biên", "Hà Tiên"],
           "id": ["Entikong", "Batam", "Nunukan"], "tl": ["Mae Sot", "Poipet", "Sandakan"],
           "zh": ["妙瓦底", "波贝", "瑞丽", "磨憨"], "km": ["ប៉ោយប៉ែត", "បាវិត"], "my": ["မြဝတီ", "တာချီလိတ်"]}

PAY_TO_BE_PAID_EN = {
    "lure": [
        "Hi, it's {name}, your task tutor. Today's set is open: recharge {bonus} and you get it back with 60% profit "
        "once the 5 tasks are done.",
        "Good morning! The receptionist here. Your next round needs a {bonus} prepayment, returned with commission "
        "within 30 minutes. Send the receipt to {contact}",
        "Congrats, you reached level 2. Put in {bonus}, finish 10 orders and withdraw double. Ask your mentor on "
        "Telegram {contact}",
        "The welfare task is today only: transfer {bonus} to the merchant account and receive your capital plus "
        "{daily} reward after 3 tasks.",
        "Your account shows a pending order. Add {bonus} to complete it, then the full amount and your commission "
        "can be withdrawn. Tutor: {contact}",
        "Dear member, to start the paid tasks pay a {bonus} task fee. It is refunded with your first day's earnings "
        "of {daily}.",
        "Top up {bonus} now and get it back plus 40% bonus when you finish the mission. Limited to our team members.",
        "Reminder from {name}: your wallet is short. Deposit {bonus} so the system can release your {daily} salary.",
    ],
    "benign": [
        "{brand}: top up {bonus} today and get 10% back as bonus load, valid for 7 days. Terms apply.",
        "You received {bonus} cashback from {brand} for your bill payment. Check your wallet history.",
        "{brand}: your fixed deposit of {bonus} has matured. Interest was credited to your savings account.",
        "Recharge {bonus} or more with {brand} this weekend and receive free 2GB data.",
        "{brand} alert: a refund of {bonus} for your cancelled order was credited to your account.",
        "Hi {name}, the school trip deposit of {bonus} was received. The balance is due next month. Thank you.",
        "{brand}: never pay anyone to release a salary, a prize or a refund. Report such messages to 7726.",
        "Your {brand} savings goal is 80% complete. Add {bonus} this week to stay on track.",
    ],
}

DOCUMENTS_UPFRONT = {
    "en": {
        "lure": [
            "Remote data entry role, {daily} a day, no interview. Before we start, send a photo of your ID card and "
            "your bank card (both sides) to {contact}",
            "Congratulations, you are shortlisted! To register your salary account, reply with your full name, ID "
            "number and the code we just texted you.",
            "Online job, paid daily. HR needs a selfie holding your ID and a screenshot of your mobile banking app to "
            "verify you. WhatsApp {contact}",
            "We process your job contract today. Send your passport photo page and ATM card picture to {contact}; "
            "the salary goes straight to that card.",
            "You have been hired as a virtual assistant! Send your online banking username so payroll can add you "
            "today.",
            "Hi {name}, for the payment processing job we need your ID, your bank card and its PIN to test your "
            "account with a small transfer.",
        ],
        "benign": [
            "Hi {name}, welcome to {company}! On your first day please bring your ID and a bank statement to HR; we "
            "set up payroll in person.",
            "{company}: your offer letter is attached. Complete the new-hire forms on our HR portal, where you will "
            "upload your ID and tax number.",
            "Metro Bank will never ask for your PIN or one-time code by text or phone. If someone does, call us on "
            "the number on your card.",
            "Interview confirmed for {name} at {company} on Monday 10:00. Please bring your CV and a photo ID for "
            "reception.",
            "Reminder: the background check for your offer needs your signed consent form. Bring it to the HR office "
            "with your ID.",
            "Your job application to {company} was received. We will contact shortlisted candidates by email within "
            "two weeks.",
        ],
    },
    "th": {
        "lure": ["งานคีย์ข้อมูลออนไลน์ รายได้วันละ {daily}00 บาท ไม่ต้องสัมภาษณ์ ส่งรูปบัตรประชาชนกับบัตรเอทีเอ็มมาทางไลน์ {contact}",
                 "ยินดีด้วย คุณผ่านการคัดเลือก ขอรูปถ่ายคู่บัตรประชาชนและรหัส OTP เพื่อเปิดบัญชีรับเงินเดือน"],
        "benign": ["ยินดีต้อนรับสู่ {company} วันแรกกรุณานำบัตรประชาชนและสมุดบัญชีมาที่ฝ่ายบุคคล",
                   "ธนาคารไม่มีนโยบายขอรหัส OTP ทาง SMS หรือโทรศัพท์ หากมีผู้ขอ อย่าให้เด็ดขาด"],
    },
    "vi": {
        "lure": ["Việc nhập liệu tại nhà, {daily}00k/ngày, không phỏng vấn. Gửi ảnh CCCD hai mặt và thẻ ATM qua Zalo {contact} để nhận việc",
                 "Chúc mừng bạn trúng tuyển! Gửi ảnh chân dung cầm CCCD và mã OTP vừa nhận để kích hoạt tài khoản lương"],
        "benign": ["Chào mừng bạn đến {company}. Ngày đầu đi làm, vui lòng mang CCCD và sổ tài khoản đến phòng nhân sự",
                   "Ngân hàng không bao giờ yêu cầu cung cấp mã OTP qua tin nhắn hay điện thoại. Không chia sẻ mã cho bất kỳ ai"],
    },
    "id": {
        "lure": ["Kerja input data dari rumah, Rp{daily}00rb per hari tanpa interview. Kirim foto KTP dan kartu ATM ke WA {contact}",
                 "Selamat, Anda lolos seleksi! Kirim swafoto dengan KTP dan kode OTP untuk membuka rekening gaji"],
        "benign": ["Selamat bergabung di {company}. Di hari pertama, siapkan KTP dan data rekening untuk diisi langsung bersama staf personalia",
                   "Bank tidak pernah meminta kode OTP atau PIN lewat SMS maupun telepon. Jangan berikan kepada siapa pun"],
    },
    "tl": {
        "lure": ["Online encoder, {daily}00 pesos kada araw, walang interview. I-send ang picture ng valid ID at ATM card mo sa {contact}",
                 "Congrats, pasok ka na! Kailangan namin ng selfie na hawak ang ID mo at ang OTP na natanggap mo para sa payroll"],
        "benign": ["Welcome sa {company}! Sa unang araw, dalhin ang valid ID at bank details mo sa HR office",
                   "Hindi kailanman hihingin ng bangko ang iyong OTP o PIN sa text o tawag. Huwag itong ibigay kahit kanino"],
    },
    "zh": {
        "lure": ["居家录入员，日结{daily}00元，不用面试，先把身份证正反面和银行卡照片发给{contact}",
                 "恭喜通过！请发手持身份证照片和刚收到的验证码，帮你开通工资账户"],
        "benign": ["欢迎加入{company}，入职当天请携带身份证原件和银行卡到人事部办理",
                   "银行提醒：我们不会通过短信或电话索要验证码和密码，请勿告诉任何人"],
    },
}

BORDER_CROSSING = {
    "en": {
        "lure": [
            "Thai-speaking staff needed for an online company near {border}, {salary} a month, room included. Our car "
            "collects you at the border, no need to stamp your passport. {contact}",
            "Job across the river: we meet you in {border} and a boat takes you over at night. Good salary, free food. "
            "Message {contact}",
            "Customer service abroad, start this week. Fly to Bangkok, our driver brings you to {border} and across, "
            "everything arranged. Telegram {contact}",
            "Casino job, {salary} monthly. Come to {border}, our guide walks you through the back way, documents not "
            "needed. WhatsApp {contact}",
            "We recruit for a big company on the other side of {border}. You only pay the bus to the border, we "
            "handle the rest. {contact}",
            "Easy office job, high salary. Take the night bus to {border}; our team picks you up and crosses with you. "
            "Do not tell your family the details.",
        ],
        "benign": [
            "Tour booking confirmed. Our driver meets you at the {border} checkpoint after immigration; bring your "
            "passport and visa.",
            "Truck driver wanted for cross-border deliveries via {border}: professional licence, passport and 3 years' "
            "experience, salary {salary}.",
            "{company}: your work permit was approved. The licensed agency will brief you before departure; the "
            "employer pays your flight.",
            "Travel advisory: the {border} crossing is open 6am-10pm. Carry your passport and visa; overstaying "
            "is fined at the exit.",
            "Hotel front desk, {city}, {salary} a month, staff meals and a room in the staff house. Interview at the "
            "hotel; foreign applicants need a valid work permit.",
            "Bus ticket confirmed: {city} to {border}, departs 07:30. Please arrive 30 minutes early with your ID.",
        ],
    },
    "th": {
        "lure": ["งานแอดมินต่างประเทศ เงินเดือน 35,000 บาท มีรถมารับที่{border} ไม่ต้องทำพาสปอร์ต พาข้ามไปเลย ติดต่อ {contact}",
                 "รับคนทำงานฝั่งตรงข้าม{border} ที่พักฟรี เดินทางตอนกลางคืน มีคนพาข้ามทางธรรมชาติ"],
        "benign": ["ทัวร์ต่างประเทศ รถรับที่ด่าน{border} หลังผ่านตรวจคนเข้าเมือง กรุณาเตรียมพาสปอร์ตและวีซ่า",
                   "รับสมัครคนขับรถบรรทุกขนส่งข้ามแดนผ่าน{border} ต้องมีใบขับขี่ประเภท 2 และพาสปอร์ต มีที่พักฟรี ติดต่อ {contact}"],
    },
    "vi": {
        "lure": ["Tuyển nhân viên làm việc bên kia cửa khẩu {border}, lương 30 triệu, có xe đón tận nơi đưa qua, không cần hộ chiếu. Liên hệ {contact}",
                 "Việc nhẹ lương cao bên Campuchia, đến {border} sẽ có người dẫn đi đường tắt qua biên giới"],
        "benign": ["Tour Campuchia 4 ngày, xe đón quý khách tại cửa khẩu {border} sau khi làm thủ tục xuất nhập cảnh, mang theo hộ chiếu",
                   "Tuyển tài xế xe tải chạy tuyến {border}, có bằng lái FC và hộ chiếu, lương theo hợp đồng"],
    },
    "id": {
        "lure": ["Kerja di Malaysia gaji besar, kumpul di {border}, nanti dijemput dan diseberangkan tanpa paspor. WA {contact}",
                 "Lowongan admin luar negeri, berangkat lewat {border} malam hari, ada yang antar menyeberang, dokumen diurus belakangan"],
        "benign": ["Perjalanan wisata ke Kuching, bus berangkat dari {border} pukul 08.00, bawa paspor untuk pemeriksaan imigrasi",
                   "Lowongan sopir ekspedisi lintas batas lewat {border}, wajib SIM B1 dan paspor, gaji sesuai UMK"],
    },
    "tl": {
        "lure": ["Trabaho abroad, sahod 1,500 USD. Lilipad ka sa Bangkok bilang turista, tapos susunduin ka ng driver sa {border} at itatawid ka namin.",
                 "Customer service sa kabila ng border, libre lahat. Sabihin mo lang sa immigration na bakasyon ka. PM {contact}"],
        "benign": ["Ang iyong deployment ay aprubado ng DMW. Dalhin ang passport, visa at OEC sa pre-departure orientation sa {day}, {hour}.",
                   "Tour package: susunduin kayo ng van sa {border} checkpoint pagkatapos ng immigration, {hour}. Dalhin ang passport."],
    },
    "zh": {
        "lure": ["高薪招聘，到{border}有车接，专人带你过去，不用护照，包吃包住，联系{contact}",
                 "境外工作，月薪两万，先到{border}，晚上有人带路过去，什么都不用准备"],
        "benign": ["旅行团通知：明早八点在{border}口岸集合，请携带护照和签证，统一办理出入境手续",
                   "招聘跨境货车司机，经{border}口岸往返，需持A2驾照和护照，包吃包住，签劳动合同，联系{contact}"],
    },
    "km": {
        "lure": ["ត្រូវការបុគ្គលិកធ្វើការនៅ{border} ប្រាក់ខែខ្ពស់ មានឡានមកទទួលនៅព្រំដែន មិនចាំបាច់លិខិតឆ្លងដែន Telegram {contact}"],
        "benign": ["ដំណើរកម្សាន្ត ម៉ោង {hour} ឡានទទួលភ្ញៀវនៅច្រកព្រំដែន{border} ក្រោយត្រួតពិនិត្យអន្តោប្រវេសន៍ សូមយកលិខិតឆ្លងដែនមកជាមួយ"],
    },
    "my": {
        "lure": ["{border} ဘက်မှာ အလုပ်ရှိတယ်၊ လစာကောင်း၊ နယ်စပ်မှာ ကားလာကြိုမယ်၊ ပတ်စ်ပို့ မလိုဘူး Telegram {contact}"],
        "benign": ["{border} နယ်စပ်ဂိတ်မှ ခရီးသွားကား {hour} တွင် ထွက်ခွာမည်၊ ပတ်စ်ပို့နှင့် ဗီဇာ ယူဆောင်လာပါ"],
    },
}

# Board and lodging are what ordinary Chinese job advertisements offer too (factories, warehouses, hotels,
# restaurants, building sites: 包吃包住, 包吃住, 包食宿), but editions 2 to 7 wrote them in 16 Chinese lures and no
# ordinary text (with datasets/regional-postings/chinese.jsonl, 22 and 3 in the head's training data), and a model
# trained on them took "包吃包住" alone for a lure. Here ordinary advertisements with
# them, beside lures of the same shape that do not name them (what tells the lure is the place abroad, the pay, the
# ticket, the passport, the chat app).
BOARD_LODGING_ZH = {
    "benign": [
        "{city}物流仓库招分拣员，两班倒，包吃住，工资月结{pay}元，入职签劳动合同，带身份证到仓库面试",
        "酒店招聘前台和客房服务员，{city}，月薪{pay}元，包食宿，试用期一个月，到店面试",
        "{city}超市招理货员，月薪{pay}元，包吃包住，缴纳社保，欢迎应届生，电话{contact}",
        "连锁餐厅招服务员和厨师助理，提供员工宿舍，包两餐，月休四天，薪资{pay}元起，到门店面试",
        "{city}工地招钢筋工、木工，包吃包住，按月发工资，签用工合同，自带身份证到项目部报名",
        "食品厂招包装工，长白班，包吃包住，月薪{pay}元，五险一金，免费体检，可到厂门口人事部咨询",
    ],
    "lure": [
        "{abroad}招聘网络客服，月薪{usd}美金，公司报销机票，有护照即可，无需经验，联系飞机{contact}",
        "高薪招打字员，工作地点{abroad}，底薪{usd}U加提成，不用面试，本周出发，加微信{contact}",
        "{abroad}公司急招推广专员，会电脑打字就行，月入过万，落地接机，证件公司代办，联系{contact}",
        "出国务工，{abroad}电子厂，月薪两万，先交押金{deposit}元办签证，护照到厂后统一保管，联系{contact}",
        "招聘{abroad}娱乐公司前台，年龄18-30，形象好，月薪{usd}美金，机票公司出，私聊{contact}",
        "轻松高薪，{abroad}园区招聊天客服，每天打字聊天，月薪{usd}U，年底分红，联系飞机{contact}",
    ],
}
ABROAD_ZH = ["柬埔寨西港", "缅甸妙瓦底", "老挝金三角", "泰国边境", "迪拜", "菲律宾马尼拉"]

#: The lists of this module, by name: what synth_lures draws from, and what the tests check.
PRETEXTS = {"pay-to-be-paid": {"en": PAY_TO_BE_PAID_EN}, "documents-upfront": DOCUMENTS_UPFRONT,
            "border-crossing": BORDER_CROSSING, "board-lodging": {"zh": BOARD_LODGING_ZH}}


def pretext(rng: random.Random, family: str, lang: str, key: str) -> str:
    """One `key` ("lure" or "benign") message of PRETEXTS[family][lang], its slots filled from `rng`."""
    # Khmer and Burmese have no cities or money of their own in synth_gig_work; their texts here use neither.
    vals = values(rng, lang if lang in ("id", "tl", "vi", "th", "zh") else "en")
    vals.update(brand=rng.choice(BRANDS), company=rng.choice(EMPLOYERS), border=rng.choice(BORDERS[lang]),
                abroad=rng.choice(ABROAD_ZH), pay=rng.choice(["4500", "5200", "6000", "6800", "7500"]),
                usd=rng.choice(["1500", "2000", "2500", "3000"]), deposit=rng.choice(["3000", "5000", "8000"]))
    return rng.choice(PRETEXTS[family][lang][key]).format(**vals)
