#!/usr/bin/env python3
"""Short chat messages that are mostly a sum of money, in the region's nine languages, and short lures that carry one.

Why: a model trained without any chat source's bare amounts scored them as lures. Trained on the pool and the
project's synthetic records, with the Chinese chat source left out, the default recipe scored "3000-5000." at 0.93 and
"400-500." at 0.55 (ordinary replies in that source's group chats); the model shipped before this file, which has that
source's replies, still scored "$3,000" 0.98, "1200 USD" 0.96, "2000-2500 per month" 0.86 and "Rp 150.000" 0.63. The synthetic lures
carry money in nearly every text and no ordinary text was ever just a price, so a sum of money alone had become the
evidence. Here a price quoted back, a rent, a bill, a transfer, a bargain or a salary between friends is ordinary, and
the same sum in the same shape of message is a lure only with the offer around it: a day's pay for rating hotels or
liking clips, a typing job abroad with the ticket paid, a wallet to lend, a frozen task account to top up, a visa
package paid to an agent (the scripts of
datasets/exemplars/README.md, from the public warnings it names). Written for the project; no evaluation data was read
to write them. Handles are placeholders.

The first 30 draws of each language are pairs: an ordinary message and a lure with one sum of money, so that what is
learned is the offer, not the number, the currency or the language; the other 70 are ordinary messages alone.

**In the default recipe since 2026-12-05** (`models/train-default.sh`, the head's training data). First tried on
2026-12-04, it did what it was for: 2 of probe D's 108 ordinary messages flagged instead of 9
(`datasets/regional-probes/probe-d.jsonl`, written by a helper who read nothing of the project), ordinary texts with
a chat-app contact flagged in 45 of 1,408 versions instead of 83, the Chinese chat source left out flagged 1 of its
2,814 ordinary messages instead of 10. But left out of training, the Indonesian SMS source had 8 of its 798 ordinary
messages flagged instead of 1 (carrier promotions, which carry no sum at all), over the 1% that every left-out source
must keep; it went in once the lexical member read every digit as `0` (features version 4), which kept that source
under the line. datasets/README.md ("Sums of money") has the figures of both tries.

    python3 datasets/synth_amounts.py --out target/pool2/amounts.jsonl   # 100 ordinary and 30 lures a language

`--periods` writes short messages of pay with its period instead ("2,000-2,500 per month", "₱80/hr"), ordinary and
lures in pairs (`--pairs 20 --ordinary 60`: 720 records); `--without-daily` and `--monthly-only` leave out the
ordinary templates of a day's pay, or of any pay but a month's. Measured on 2026-12-08 and **not in the default
recipe**: each head read a bare monthly salary as ordinary, but the first found fewer real lures of the message sources
it never saw and the other two failed their blind probes (models/lurescan-base.history.md, "Pay with its period").
"""

import argparse
import json
import math
import random

SEED = 20261204
# `--periods` draws from a seed of its own, so as not to repeat the bare sums' draws.
PERIODS_SEED = SEED + 1

# A language's ways of writing money: (format, smallest, largest, step), the sum drawn in [smallest, largest] in
# steps; formats take the number already written with the language's grouping (see `grouped`).
MONEY = {
    "en": [("${}", 5, 5000, 5), ("USD {}", 10, 3000, 10), ("{} USD", 10, 3000, 10), ("Ksh {}", 100, 60000, 50),
           ("₱{}", 50, 40000, 50), ("£{}", 5, 3000, 5), ("₹{}", 50, 50000, 50), ("RM{}", 5, 8000, 5),
           ("{}", 50, 20000, 50), ("{}k", 1, 90, 1)],
    "id": [("Rp {}", 5000, 9000000, 5000), ("Rp{}", 5000, 9000000, 5000), ("{}rb", 5, 900, 5), ("{}jt", 1, 15, 1),
           ("{} ribu", 5, 900, 5), ("{}", 5000, 5000000, 5000)],
    "tl": [("₱{}", 20, 40000, 10), ("PHP {}", 50, 40000, 50), ("{} pesos", 20, 20000, 10), ("{}", 50, 30000, 50),
           ("{}k", 1, 60, 1)],
    "vi": [("{}k", 10, 990, 5), ("{}đ", 10000, 9000000, 5000), ("{} VND", 10000, 9000000, 10000),
           ("{} triệu", 1, 30, 1), ("{}tr", 1, 30, 1), ("{}", 10000, 5000000, 10000)],
    "th": [("{} บาท", 20, 60000, 10), ("฿{}", 20, 60000, 10), ("{} บ.", 20, 20000, 10), ("{}", 50, 50000, 50)],
    "ms": [("RM{}", 5, 8000, 5), ("RM {}", 5, 8000, 5), ("{} ringgit", 5, 5000, 5), ("{}", 10, 6000, 10)],
    "zh": [("{}元", 5, 30000, 5), ("{}块", 5, 5000, 5), ("{}万", 1, 50, 1), ("¥{}", 5, 30000, 5),
           ("NT${}", 50, 90000, 50), ("HK${}", 20, 40000, 10), ("{}", 50, 30000, 50), ("{}左右", 100, 20000, 100)],
    "km": [("${}", 1, 3000, 1), ("{} ដុល្លារ", 1, 3000, 1), ("{} រៀល", 1000, 400000, 500), ("{}៛", 1000, 400000, 500)],
    "my": [("{} ကျပ်", 500, 900000, 500), ("{}ကျပ်", 500, 900000, 500), ("Ks {}", 500, 900000, 500),
           ("{} သိန်း", 1, 50, 1)],
}

# Round sums: 1, 1.5, 2, 2.5, 3, 4, 5, 6 and 8 times a power of ten.
ROUND = sorted({int(m * 10**k) for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8) for k in range(8) if m * 10**k >= 1})

# How each language groups thousands.
SEPARATOR = {"en": ",", "id": ".", "tl": ",", "vi": ".", "th": ",", "ms": ",", "zh": ",", "km": ",", "my": ","}

# Khmer and Burmese write sums in their own digits as often as in Western ones.
NATIVE_DIGITS = {lang: str.maketrans("0123456789", digits)
                 for lang, digits in (("km", "០១២៣៤៥៦៧៨៩"), ("my", "၀၁၂၃၄၅၆၇၈၉"))}

# Ordinary messages: `{amt}` is one sum, `{lo}` and `{hi}` a range of the same currency.
ORDINARY = {
    "en": ["{amt}", "{amt}.", "{lo}-{hi}", "{amt}+", "about {amt}", "{amt} each", "total is {amt}",
           "rent is {amt} a month", "I sent {amt} just now", "last price {amt}?", "ok {amt}, deal",
           "electric bill came to {amt} this month", "they offered me {amt} a month", "{amt} for both",
           "school fees are {amt} this term", "paid {amt} at the clinic", "{amt} per kilo today", "can you do {amt}?",
           "received {amt}, thanks", "my share is {amt}", "{lo} to {hi} depending on size", "it was {amt} at the market"],
    "id": ["{amt}", "{amt} aja", "{lo}-{hi}", "totalnya {amt}", "sewa kos {amt} sebulan", "udah aku transfer {amt} ya",
           "harga pas {amt}?", "oke {amt} deal", "tagihan listrik bulan ini {amt}", "gajinya {amt} katanya",
           "{amt} dapat dua", "uang sekolah {amt}", "bayar {amt} di klinik", "cabai {amt} sekilo", "bisa {amt} gak?",
           "sudah masuk {amt}, makasih", "patungan {amt} per orang", "kira-kira {amt}"],
    "tl": ["{amt}", "{amt} po", "{lo}-{hi}", "total {amt}", "upa sa bahay {amt} kada buwan", "nag-send na ako ng {amt}",
           "last price {amt}?", "sige {amt}", "kuryente ngayong buwan {amt}", "offer nila {amt} a month daw",
           "{amt} yung dalawa", "tuition {amt} ngayong sem", "bayad sa clinic {amt}", "bigas {amt} kada kilo",
           "pwede {amt}?", "natanggap ko na yung {amt}, salamat", "hati tayo, {amt} bawat isa", "mga {amt} siguro"],
    "vi": ["{amt}", "{amt} nhé", "{lo}-{hi}", "tổng {amt}", "tiền nhà {amt} một tháng", "mình chuyển {amt} rồi nha",
           "giá chót {amt}?", "ok {amt} chốt", "tiền điện tháng này {amt}", "bên đó trả {amt} một tháng",
           "{amt} hai cái", "học phí {amt} kỳ này", "khám hết {amt}", "rau hôm nay {amt} một ký", "bớt còn {amt} được không?",
           "nhận được {amt} rồi, cảm ơn", "mỗi người góp {amt}", "khoảng {amt}"],
    "th": ["{amt}", "{amt} ค่ะ", "{lo}-{hi}", "รวม {amt}", "ค่าห้อง {amt} ต่อเดือน", "โอนไปแล้ว {amt} นะ",
           "ลดเหลือ {amt} ได้ไหม", "โอเค {amt}", "ค่าไฟเดือนนี้ {amt}", "เขาให้เงินเดือน {amt}", "สองชิ้น {amt}",
           "ค่าเทอม {amt}", "จ่ายค่าหมอไป {amt}", "หมูกิโลละ {amt} วันนี้", "ได้รับ {amt} แล้ว ขอบคุณครับ",
           "หารกันคนละ {amt}", "ประมาณ {amt}"],
    "ms": ["{amt}", "{amt} je", "{lo}-{hi}", "jumlah {amt}", "sewa bilik {amt} sebulan", "dah transfer {amt} tadi",
           "harga last {amt}?", "ok {amt} setuju", "bil elektrik bulan ni {amt}", "gaji yang ditawar {amt}",
           "{amt} dua biji", "yuran sekolah {amt}", "bayar klinik {amt}", "ayam {amt} sekilo hari ni",
           "boleh {amt}?", "dah terima {amt}, terima kasih", "kongsi {amt} seorang", "lebih kurang {amt}"],
    "zh": ["{amt}", "{amt}。", "{lo}-{hi}", "一共{amt}", "房租一个月{amt}", "刚转了{amt}给你", "最低{amt}行吗？",
           "好，{amt}成交", "这个月电费{amt}", "他们开的工资{amt}", "两个{amt}", "学费{amt}一学期", "看病花了{amt}",
           "今天菜价{amt}一斤", "收到{amt}了，谢谢", "AA每人{amt}", "大概{amt}", "房租一個月{amt}", "剛轉了{amt}給你",
           "這個月電費{amt}", "收到{amt}了，謝謝"],
    "km": ["{amt}", "{amt} បាទ", "{lo}-{hi}", "សរុប {amt}", "ថ្លៃផ្ទះ {amt} មួយខែ", "ខ្ញុំផ្ញើ {amt} ហើយ",
           "ចុះថ្លៃ {amt} បានទេ?", "អូខេ {amt}", "ថ្លៃភ្លើងខែនេះ {amt}", "ថ្លៃសាលា {amt}", "ទទួលបាន {amt} ហើយ អរគុណ",
           "ប្រហែល {amt}"],
    "my": ["{amt}", "{amt} ပါ", "{lo}-{hi}", "စုစုပေါင်း {amt}", "အိမ်လခ တစ်လ {amt}", "{amt} လွှဲပြီးပြီ",
           "{amt} ရမလား", "အိုကေ {amt}", "ဒီလ မီးခ {amt}", "ကျောင်းလခ {amt}", "{amt} ရပြီ ကျေးဇူးပါ", "{amt} လောက်"],
}

# Lures of the same length and sum: `{amt}` (a day's or a month's pay, a fee, a top-up), `{contact}` a placeholder.
LURE = {
    "en": ["{amt} every day for rating hotels on an app, my tutor will guide you on WhatsApp {contact}",
           "Overseas typing job, salary {amt}, employer pays your ticket and room, leave this week",
           "Lend your e-wallet to our team and get {amt} daily, nothing else to do {contact}",
           "Your task account is frozen, deposit {amt} to release the commission",
           "Visa and placement package {amt}, pay the agent today and depart next month",
           "Just watch and like clips, {amt} paid out nightly, slots limited, text {contact}"],
    "id": ["{amt} tiap hari cuma kasih rating hotel di aplikasi, tutor bimbing lewat WA {contact}",
           "Kerja ketik di luar negeri, gaji {amt}, tiket dan kamar ditanggung bos, berangkat minggu ini",
           "Pinjamkan e-wallet ke tim kami, dapat {amt} per hari tanpa kerja {contact}",
           "Akun tugas kamu dibekukan, deposit {amt} untuk mencairkan komisi",
           "Paket visa dan penempatan {amt}, bayar ke agen hari ini, terbang bulan depan"],
    "tl": ["{amt} araw-araw sa pag-rate ng hotel sa app, gagabayan ka ng tutor sa WhatsApp {contact}",
           "Typing job sa abroad, sweldo {amt}, sagot ng amo ang ticket at kwarto, alis ngayong linggo",
           "Ipahiram ang e-wallet mo sa team namin, {amt} kada araw, walang gagawin {contact}",
           "Naka-freeze ang task account mo, mag-deposit ng {amt} para makuha ang komisyon",
           "Visa at placement package {amt}, bayaran ang agent ngayon, lipad sa susunod na buwan"],
    "vi": ["{amt} mỗi ngày chỉ cần chấm điểm khách sạn trên app, có người kèm qua WhatsApp {contact}",
           "Việc đánh máy ở nước ngoài, lương {amt}, chủ lo vé và phòng, đi ngay tuần này",
           "Cho đội mình mượn ví điện tử, nhận {amt} mỗi ngày mà không phải làm gì {contact}",
           "Tài khoản nhiệm vụ bị đóng băng, nạp {amt} để nhận lại hoa hồng",
           "Trọn gói visa và giới thiệu việc {amt}, đóng cho người môi giới hôm nay, bay tháng sau"],
    "th": ["{amt} ทุกวัน แค่ให้คะแนนโรงแรมในแอป มีติวเตอร์สอนทางวอทส์แอป {contact}",
           "งานพิมพ์เอกสารต่างประเทศ ค่าจ้าง {amt} นายจ้างออกค่าตั๋วและห้องพัก ออกเดินทางสัปดาห์นี้",
           "ให้ทีมเรายืมวอลเล็ต รับ {amt} ต่อวัน ไม่ต้องทำอะไร {contact}",
           "บัญชีภารกิจของคุณถูกระงับ ฝาก {amt} เพื่อรับค่าคอมคืน",
           "แพ็กเกจวีซ่าและจัดหางาน {amt} จ่ายนายหน้าวันนี้ บินเดือนหน้า"],
    "ms": ["{amt} setiap hari hanya beri rating hotel dalam app, tutor bimbing melalui WhatsApp {contact}",
           "Kerja menaip di luar negara, gaji {amt}, majikan tanggung tiket dan bilik, bertolak minggu ini",
           "Pinjamkan e-wallet kepada team kami, dapat {amt} sehari tanpa buat apa-apa {contact}",
           "Akaun tugasan anda dibekukan, deposit {amt} untuk tuntut komisen",
           "Pakej visa dan penempatan {amt}, bayar ejen hari ini, terbang bulan depan"],
    "zh": ["每天{amt}，只要在APP上给酒店打分，老师WhatsApp带你 {contact}", "海外打字员，工资{amt}，老板出机票和住宿，本周就能走",
           "把电子钱包借给团队用，每天拿{amt}，什么都不用做 {contact}", "您的任务账户已冻结，需存入{amt}才能领回佣金",
           "签证加安置套餐{amt}，今天交给中介，下月出发", "每天{amt}，只要在APP上幫酒店評分，老師帶你 {contact}",
           "您的任務帳戶已凍結，需存入{amt}才能領回佣金"],
    "km": ["{amt} រាល់ថ្ងៃ គ្រាន់តែដាក់ពិន្ទុសណ្ឋាគារក្នុងកម្មវិធី គ្រូនឹងណែនាំតាម WhatsApp {contact}",
           "ការងារវាយអក្សរនៅក្រៅប្រទេស ប្រាក់ឈ្នួល {amt} ថៅកែចេញថ្លៃសំបុត្រ និងបន្ទប់",
           "ខ្ចីកាបូបអេឡិចត្រូនិករបស់អ្នកឱ្យក្រុមយើង ទទួល {amt} ក្នុងមួយថ្ងៃ {contact}",
           "គណនីភារកិច្ចរបស់អ្នកត្រូវបានបង្កក សូមដាក់ {amt} ដើម្បីទទួលកម្រៃជើងសារ"],
    "my": ["App ထဲမှာ ဟိုတယ်တွေကို အမှတ်ပေးရုံနဲ့ နေ့တိုင်း {amt} ရမယ်၊ ဆရာက WhatsApp မှာ လမ်းညွှန်ပေးမယ် {contact}",
           "နိုင်ငံခြားမှာ စာရိုက်အလုပ်၊ လစာ {amt}၊ လေယာဉ်လက်မှတ်နဲ့ အခန်းကို သူဌေးက ပေးမယ်",
           "သင့် e-wallet ကို ငှားပေးရင် တစ်ရက် {amt} ရမယ်၊ ဘာမှလုပ်စရာမလို {contact}",
           "သင့် task အကောင့် ပိတ်ခံထားရတယ်၊ ကော်မရှင်ပြန်ရဖို့ {amt} အရင်သွင်းပါ"],
}

# Pay with its period, as a salary line, an offer or a friend's answer says it ("2,000-2,500 per month", "{amt}/hr"),
# beside lures of the same shape that state a day's or a month's pay too (2026-12-08). Why: the head of 2026-12-07 read
# a bare monthly range sent as a message as a lure ("2,000-2,500 per month" 0.427 against the messages' 0.357, "USD
# 1,500 per month" 0.81): the written postings' lures give their pay a period far more often than their ordinary
# postings, and no ordinary message was only a salary with its period. Written for the project from the scripts of
# datasets/exemplars/README.md; no evaluation data was read to write them.
PERIOD_ORDINARY = {
    "en": ["{amt} per month", "{lo}-{hi} per month", "{amt}/month", "{amt} a month", "Salary: {amt} per month",
           "salary {lo}-{hi}/month + OT", "basic pay {amt} monthly", "{amt}/hr", "{amt} an hour, weekends only",
           "{amt} per day", "daily rate {amt}", "pay is {amt} a week", "they pay {amt} per month plus overtime",
           "starting salary {amt} a month", "allowance {amt} per month", "{amt}/day for the harvest, lunch provided",
           "{lo} to {hi} a month depending on experience", "night shift pays {amt} an hour"],
    "id": ["{amt} per bulan", "{lo}-{hi} per bulan", "gaji {amt}/bulan", "gaji pokok {amt} sebulan + lembur",
           "{amt}/jam", "upah harian {amt}", "{amt} sehari, makan siang ditanggung", "gajinya {amt} sebulan, lumayan",
           "tunjangan {amt} per bulan", "honor {amt} per hari", "UMR sini {amt} sebulan", "shift malam {amt} per jam"],
    "tl": ["{amt} kada buwan", "{lo}-{hi} a month", "sahod {amt} kada buwan", "basic {amt}/month plus OT",
           "{amt} kada oras", "arawan {amt}", "{amt} isang araw sa construction", "allowance {amt} kada buwan",
           "sweldo niya {amt} a month daw", "{amt} per day, stay-out", "{lo} to {hi} kada buwan depende sa experience"],
    "vi": ["{amt}/tháng", "{lo}-{hi} một tháng", "lương {amt} mỗi tháng", "lương cứng {amt}/tháng + tăng ca",
           "{amt}/giờ", "{amt} một ngày công", "làm thời vụ {amt}/ngày", "phụ cấp {amt} mỗi tháng",
           "nghe nói lương {amt} một tháng", "luong {amt}/thang", "ca đêm {amt} một giờ", "luong co ban {lo}-{hi}/thang"],
    "th": ["{amt} ต่อเดือน", "{lo}-{hi} ต่อเดือน", "เงินเดือน {amt}/เดือน", "ค่าแรง {amt} ต่อวัน", "{amt}/ชม.",
           "รายได้ {amt} ต่อเดือน + โอที", "ค่าจ้างรายวัน {amt}", "เบี้ยเลี้ยง {amt} ต่อเดือน",
           "งานพาร์ทไทม์ {amt} ต่อชั่วโมง", "เขาบอกเงินเดือน {lo}-{hi}", "กะดึก {amt} ต่อชั่วโมง"],
    "ms": ["{amt} sebulan", "{lo}-{hi} sebulan", "gaji {amt}/bulan", "gaji pokok {amt} sebulan + OT", "{amt} sejam",
           "upah harian {amt}", "elaun {amt} sebulan", "part time {amt} sejam", "dengar kata gaji {amt} sebulan",
           "syif malam {amt} sejam", "{lo} hingga {hi} sebulan ikut pengalaman"],
    "zh": ["月薪{amt}", "{lo}-{hi}/月", "底薪{amt}一个月，加班另算", "时薪{amt}", "搬家工一天{amt}",
           "工资{amt}一个月，包午饭", "补贴每月{amt}", "他说一个月{amt}左右", "月薪{lo}-{hi}，五险一金", "兼职{amt}一小时",
           "月薪{amt}，週休二日", "夜班每小時{amt}"],
    "km": ["{amt} ក្នុងមួយខែ", "{lo}-{hi} ក្នុងមួយខែ", "ប្រាក់ខែ {amt} ក្នុងមួយខែ", "ឈ្នួល {amt} ក្នុងមួយថ្ងៃ",
           "{amt} ក្នុងមួយម៉ោង", "ប្រាក់ខែគោល {amt} បូក OT", "ប្រាក់ឧបត្ថម្ភ {amt} ក្នុងមួយខែ"],
    "my": ["တစ်လ {amt}", "လစာ {amt}", "တစ်လ {lo}-{hi}", "နေ့စား {amt}", "တစ်နာရီ {amt}", "လစာ {amt} နဲ့ OT သီးသန့်",
           "ထောက်ပံ့ကြေး တစ်လ {amt}"],
}

# The ordinary messages above that state a day's pay: `--without-daily` leaves them out. A day's pay quoted alone is
# what many real task-scam SMS are ("200-3000 a day, add Line"), and trained with these the recipe found fewer lures
# of a message source it never saw (models/lurescan-base.history.md, "Pay with its period").
PERIOD_DAILY = {
    "{amt} per day", "daily rate {amt}", "{amt}/day for the harvest, lunch provided", "upah harian {amt}",
    "{amt} sehari, makan siang ditanggung", "honor {amt} per hari", "arawan {amt}", "{amt} isang araw sa construction",
    "{amt} per day, stay-out", "{amt} một ngày công", "làm thời vụ {amt}/ngày", "ค่าแรง {amt} ต่อวัน", "ค่าจ้างรายวัน {amt}",
    "搬家工一天{amt}", "ឈ្នួល {amt} ក្នុងមួយថ្ងៃ", "နေ့စား {amt}",
}

# The ordinary messages above that state pay by the hour or the week: `--monthly-only` leaves them out with the
# daily ones, so that only a monthly pay is ever ordinary on its own.
PERIOD_HOURLY = {
    "{amt}/hr", "{amt} an hour, weekends only", "pay is {amt} a week", "night shift pays {amt} an hour", "{amt}/jam",
    "shift malam {amt} per jam", "{amt} kada oras", "{amt}/giờ", "ca đêm {amt} một giờ", "{amt}/ชม.",
    "งานพาร์ทไทม์ {amt} ต่อชั่วโมง", "กะดึก {amt} ต่อชั่วโมง", "{amt} sejam", "part time {amt} sejam",
    "syif malam {amt} sejam", "时薪{amt}", "兼职{amt}一小时", "夜班每小時{amt}", "{amt} ក្នុងមួយម៉ោង", "တစ်နာရီ {amt}",
}

PERIOD_LURE = {
    "en": ["Like and share videos, {amt} a day, your mentor will add you {contact}",
           "Hiring chat support staff for a firm in Sihanoukville, {amt} per month, we book your flight, dorm included",
           "Typing job abroad {amt}/month, visa and ticket covered, leave this week {contact}",
           "Rent us your bank account, {amt} per day, no work needed {contact}",
           "Job in Dubai, {amt} a month, pay the agent's visa fee first and fly next week"],
    "id": ["Like video dapat {amt} sehari, mentor bantu lewat Telegram {contact}",
           "Lowongan admin chat untuk perusahaan di Phnom Penh, {amt} per bulan, pesawat kami belikan, tinggal di asrama kantor",
           "Kerja ketik di luar negeri {amt}/bulan, visa ditanggung, berangkat minggu ini {contact}",
           "Sewakan rekening bank kamu, {amt} per hari tanpa kerja {contact}",
           "Kerja di Dubai {amt} sebulan, bayar biaya visa ke agen dulu, terbang minggu depan"],
    "tl": ["Sideline: pindot ng heart sa mga clip, kikita ng {amt} kada araw, i-message ang coach {contact}",
           "Hanap chat agent para sa kumpanya sa Sihanoukville, {amt} kada buwan, kami bahala sa flight at dorm",
           "Typing job abroad {amt}/month, sagot ang visa at ticket, alis ngayong linggo {contact}",
           "Ipagamit ang bank account mo, {amt} kada araw, walang trabaho {contact}",
           "Trabaho sa Dubai {amt} a month, bayaran muna ang visa fee sa agent, lipad next week"],
    "vi": ["Thả tim video nhận {amt} mỗi ngày, có người hướng dẫn qua Telegram {contact}",
           "Tuyển nhân viên trực chat cho công ty bên Sihanoukville, {amt}/tháng, công ty đặt vé máy bay, ở ký túc xá",
           "Việc đánh máy nước ngoài {amt}/tháng, lo visa vé máy bay, đi ngay tuần này {contact}",
           "Cho thuê tài khoản ngân hàng {amt} mỗi ngày, không phải làm gì {contact}",
           "Việc ở Dubai {amt} một tháng, nộp phí visa cho môi giới trước, bay tuần sau"],
    "th": ["ไลค์คลิปรับ {amt} ต่อวัน มีพี่เลี้ยงสอนทาง Telegram {contact}",
           "รับสมัครพนักงานตอบแชทบริษัทที่สีหนุวิลล์ {amt} ต่อเดือน บริษัทจองเครื่องบินให้ พักหอพนักงาน",
           "งานพิมพ์ต่างประเทศ {amt}/เดือน ออกค่าวีซ่าและตั๋วให้ เดินทางสัปดาห์นี้ {contact}",
           "ให้เช่าบัญชีธนาคาร รับ {amt} ต่อวัน ไม่ต้องทำงาน {contact}",
           "งานดูไบ {amt} ต่อเดือน จ่ายค่าวีซ่าให้นายหน้าก่อน บินสัปดาห์หน้า"],
    "ms": ["Kerja sampingan tekan suka pada klip, untung {amt} sehari, coach akan ajar {contact}",
           "Jawatan admin chat untuk syarikat di Sihanoukville, {amt} sebulan, syarikat belikan tiket kapal terbang, tinggal di asrama",
           "Kerja menaip luar negara {amt}/bulan, visa dan tiket ditanggung {contact}",
           "Sewakan akaun bank anda, {amt} sehari tanpa kerja {contact}",
           "Kerja di Dubai {amt} sebulan, bayar yuran visa kepada ejen dulu, terbang minggu depan"],
    "zh": ["点赞视频每天{amt}，导师Telegram带你 {contact}", "柬埔寨客服月薪{amt}，包机票包吃住，无需经验",
           "海外打字员{amt}/月，签证机票全包，本周出发 {contact}", "出租银行卡每天{amt}，什么都不用做 {contact}",
           "迪拜工作月薪{amt}，先交签证费给中介，下周出发"],
    "km": ["មើលវីដេអូ ហើយដាក់ពិន្ទុ បាន {amt} ក្នុងមួយថ្ងៃ គ្រូណែនាំតាម Telegram {contact}",
           "ការងារបម្រើអតិថិជននៅក្រៅប្រទេស {amt} ក្នុងមួយខែ ឥតគិតថ្លៃសំបុត្រយន្តហោះ និងកន្លែងស្នាក់នៅ",
           "ឱ្យក្រុមហ៊ុនយើងប្រើកុងធនាគារបងបណ្ដោះអាសន្ន យកកម្រៃ {amt} ក្នុងមួយថ្ងៃ {contact}",
           "ភ្នាក់ងារយើងមានការងារសណ្ឋាគារនៅឌូបៃ {amt} ក្នុងមួយខែ សូមផ្ញើថ្លៃឯកសារជាមុនសិន"],
    "my": ["ဗီဒီယို like လုပ်ရုံနဲ့ တစ်ရက် {amt} ရမယ်၊ Telegram မှာ ဆရာက လမ်းညွှန်မယ် {contact}",
           "ဆီဟာနွတ်ဗီးလ်က ကုမ္ပဏီမှာ chat ဝန်ထမ်းခေါ်နေတယ်၊ တစ်လ {amt}၊ ကုမ္ပဏီက လေယာဉ်လက်မှတ်ဝယ်ပေးမယ်",
           "ငါတို့ ကုမ္ပဏီကို မင်းဘဏ်စာရင်း ခဏသုံးခွင့်ပေးရင် တစ်ရက် {amt} ပေးမယ် {contact}",
           "ဒူဘိုင်းမှာ အလုပ် တစ်လ {amt}၊ ဗီဇာခကို အေးဂျင့်ကို အရင်ပေးပါ"],
}

CONTACTS = ["@mentor_example", "@hr_example", "t.me/example", "+00 000 0000"]
LANGS = list(ORDINARY)


def grouped(number: int, lang: str) -> str:
    """`number` with the thousands grouped as `lang` writes them."""
    return f"{number:,}".replace(",", SEPARATOR[lang])


def draw_money(rng: random.Random, lang: str) -> tuple[str, str, str]:
    """One sum and one range in one of `lang`'s currencies: (amount, low, high), each already formatted."""
    fmt, low, high, step = rng.choice(MONEY[lang])
    # Half the sums are round, as people quote them (and as the synthetic lures' pay is: "3,000", "8,000" a day);
    # the rest log-uniform, as prices are: as many sums of tens as of thousands.
    round_sums = [s for s in ROUND if low <= s <= high and s % step == 0]
    if round_sums and rng.random() < 0.5:
        value = rng.choice(round_sums)
    else:
        value = max(low, round(math.exp(rng.uniform(math.log(low), math.log(high))) / step) * step)
    lo = max(low, (value * 2 // 3) // step * step)
    bare = rng.random() < 0.5 and value < 10000

    def write(v: int) -> str:
        return fmt.format(str(v) if bare else grouped(v, lang))

    # A range repeats the currency only on its upper end, as people write it ("3,000-5,000 บาท").
    money = write(value), str(lo) if bare else grouped(lo, lang), write(max(value, lo + step))
    if lang in NATIVE_DIGITS and rng.random() < 0.5:
        money = tuple(m.translate(NATIVE_DIGITS[lang]) for m in money)
    return money


def generate(pairs: int = 30, ordinary: int = 100, seed: int = SEED, periods: bool = False,
             leave_out: frozenset[str] = frozenset()) -> list[dict]:
    """`ordinary` ordinary messages in each language, the first `pairs` of them each followed by its lure; with
    `periods`, the messages of pay with its period (`PERIOD_ORDINARY`, `PERIOD_LURE`) instead of the bare sums; no
    ordinary message from a template in `leave_out` (`PERIOD_DAILY`, `PERIOD_HOURLY`)."""
    rng = random.Random(seed)
    plain, lures, name = (PERIOD_ORDINARY, PERIOD_LURE, "periods") if periods else (ORDINARY, LURE, "amounts")
    plain = {lang: [t for t in texts if t not in leave_out] for lang, texts in plain.items()}
    records, seen = [], set()
    for lang in LANGS:
        made = 0
        while made < max(pairs, ordinary):
            amount, lo, hi = draw_money(rng, lang)
            texts = [(0, rng.choice(plain[lang]).format(amt=amount, lo=lo, hi=hi))]
            if made < pairs:
                texts.append((1, rng.choice(lures[lang]).format(amt=amount, contact=rng.choice(CONTACTS))))
            if any(text in seen for _, text in texts):
                continue
            for label, text in texts:
                seen.add(text)
                records.append({"id": f"synthetic-{name}:{lang}-{'lure' if label else 'ordinary'}-{made:03d}",
                                "source": "synthetic", "kind": "message", "label": label, "lang": lang,
                                "group": f"synthetic:{name}-{lang}", "split": "train", "text": text})
            made += 1
    return records


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="JSONL file to write")
    ap.add_argument("--pairs", type=int, default=30, help="ordinary messages per language with a lure beside them "
                    "(default 30)")
    ap.add_argument("--ordinary", type=int, default=100, help="ordinary messages per language (default 100)")
    ap.add_argument("--seed", type=int, help=f"default {SEED}, with --periods {PERIODS_SEED}")
    ap.add_argument("--periods", action="store_true", help="pay with its period instead of bare sums (\"2,000-2,500 "
                    "per month\")")
    ap.add_argument("--without-daily", action="store_true", help="with --periods: no ordinary message of a day's pay")
    ap.add_argument("--monthly-only", action="store_true", help="with --periods: no ordinary message of a day's, an "
                    "hour's or a week's pay")
    args = ap.parse_args()
    if (args.without_daily or args.monthly_only) and not args.periods:
        ap.error("--without-daily and --monthly-only leave out ordinary messages of --periods; give --periods too")
    leave_out = frozenset()
    if args.without_daily or args.monthly_only:
        leave_out |= PERIOD_DAILY
    if args.monthly_only:
        leave_out |= PERIOD_HOURLY
    seed = args.seed if args.seed is not None else PERIODS_SEED if args.periods else SEED
    records = generate(args.pairs, args.ordinary, seed, periods=args.periods, leave_out=leave_out)
    with open(args.out, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {args.out}")


if __name__ == "__main__":
    main()
