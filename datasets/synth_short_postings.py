#!/usr/bin/env python3
"""Short ordinary job texts (bare titles, one-line ads, short messages about work) in nine of the region's languages,
beside short lures of the same length.

Why: every ordinary job text the head trained on was long (EMSCAD postings, the written regional postings), and every
short ordinary text was an SMS about something else. Short plus a job word had become the evidence. A new user's
batch of one-line ads had 12,180 of 17,500 copies of "Accountant wanted in <city>. CPA required. Send CV to
hr@company<n>.com" flagged, 1,506 of 2,243 short hotel ads, and the message "Hotel job" scored 0.97 (the BERT's
margin +3.1, the lexical member's +3.0: the word "job" read as nearly all of a two-word text).

Here a bare title, a title and a town, "<role> wanted in <town>, <one requirement>, send your CV", a walk-in interview,
an interview confirmed, a shift swapped, a friend who got the job, are ordinary; the short lures beside them say what
a lure says in as few words: a job abroad with the flight and housing paid and no experience asked, reached through a
chat app; a day's pay for liking or rating; a fee or a passport for a visa; a deposit to unlock tasks. Ordinary texts
also go abroad (through a licensed agency, with no fee), name chat apps and offer lodging, so that no single word is
the label. Written for the project from the shapes of ordinary job boards and public warnings; no evaluation data was
read to write it. Contacts and companies are placeholders.

**Not in the default recipe** (tried 2026-12-06, evening; `models/lurescan-base.history.md`, "Short job texts").
Appended to the head's training data (`target/pool2/train-head-w5.jsonl`, 1,313 records more), the recipe's head
ranked blind short job texts better (probe W, written by a helper who read nothing of the project: AP 0.927 -> 0.950)
and every development probe a little better, and stopped flagging the new user's one-line accountant and hotel ads
(1,348 of 3,000 -> 65; not blind: the accountant ad has the shape of this file's first English template). But at its
own thresholds it flagged more ordinary texts (probe W 8 -> 11 of 207; probes A, C-O 31 -> 53 of 1,164), "Hotel job"
still scored 0.96, and EMSCAD's validation F1 fell from 0.949 to 0.937. Kept for the next try, not shipped.

    python3 datasets/synth_short_postings.py --out target/pool2/short-postings.jsonl
"""

import argparse
import json
import random

SEED = 20261206

# Per language: roles, home towns, lure destinations, and templates. Slots: {role} {city} {abroad} {req} {pay}
# {high} {daily} {fee} {email} {chat} {handle} {day} {time} {company}.
LANGS = {
    "en": {
        "roles": ["Accountant", "Cashier", "Cook", "Line cook", "Driver", "Delivery rider", "Security guard", "Nurse",
                  "Waiter", "Barista", "Receptionist", "Front desk agent", "Housekeeper", "Electrician", "Welder",
                  "Sales associate", "Admin assistant", "Warehouse packer", "Forklift operator", "Teacher",
                  "Caregiver", "Bookkeeper", "IT support technician", "Call centre agent", "Hotel porter",
                  "Mechanic", "Pharmacy assistant", "Data encoder", "Dishwasher", "Customer service representative"],
        "cities": ["Manila", "Cebu", "Davao", "Quezon City", "Makati", "Nairobi", "Mombasa", "Kisumu", "Jakarta",
                   "Kuala Lumpur", "Penang", "Bangkok", "Chiang Mai", "Singapore", "Leeds", "Dubai", "Doha",
                   "Phnom Penh", "Ho Chi Minh City", "Hanoi", "Yangon"],
        "abroad": ["Cambodia", "Myanmar", "Laos", "Dubai", "Thailand", "Malaysia", "Sihanoukville", "the Philippines"],
        "reqs": ["CPA required", "2 years experience", "Must have a driving licence", "Fresh graduates welcome",
                 "Night shift", "Weekends only", "Full time, permanent", "Licence required", "Forklift ticket a plus",
                 "Good English", "No experience needed, training provided", "Own motorbike", "Food handler card",
                 "Shift work", "Part time, 20 hours a week"],
        "pays": ["{n}/hour", "salary negotiable", "basic plus overtime", "{n} a month", "pay as per experience",
                 "USD {n} a month", "{n} USD monthly", "AED {n}", "$18/hour"],
        "benign_titles": ["{role}", "{role}", "{role} - {city}", "Part-time {role}", "{role} (night shift)",
                          "Urgent: {role}", "{role} wanted", "Hiring {role}", "{role}, {city}", "Senior {role}",
                          "Junior {role}"],
        "benign_lines": [
            "{role} wanted in {city}. {req}. Send CV to {email}",
            "Hiring {role} for our branch in {city}. {req}. Apply at {email}",
            "{company} in {city} is looking for a {role}. {req}. Walk-in interview {day} {time}.",
            "Now hiring: {role}, {pay}. Apply in person at our {city} store.",
            "{role} needed, {city}. {req}. Email your CV to {email}.",
            "Vacancy: {role}. {req}. {pay}. Apply before {day}.",
            "We are hiring a {role} in {city}. {req}. WhatsApp your CV to {phone}.",
            "{role} job in {city}, {pay}. Staff meals and uniform provided. Call {phone}.",
            "Looking for a {role}. {req}. Interviews this {day} at the {city} office.",
            "{role} for a hotel in {city}. Staff accommodation provided. {req}. Apply at {email}",
            "{role} in {abroad} through a licensed agency. No placement fee. {req}. Apply at {email}",
        ],
        "benign_msgs": [
            "Hi, this is {company}. Your interview for {role} is confirmed on {day} at {time}. Please bring your CV and ID.",
            "Got the {role} job at the hotel! Start on {day}",
            "Any openings for {role} at your place?",
            "Can you cover my shift on {day}? I have an interview.",
            "Hello, is the {role} position still open? I can send my CV.",
            "Thanks for applying for {role}. We will call you by {day}.",
            "Please send a copy of your licence before your first shift on {day}.",
            "Hotel job in {city} starts {day}, I'll be on the morning shift",
            "Reminder: {role} training at {time} {day}, {city} branch.",
            "My cousin is hiring a {role} in {city}, want me to pass your number?",
        ],
        "lure_titles": ["{role} in {abroad}, free flight", "Online typing job, earn daily",
                        "{role} {abroad} {high} no experience", "Like videos earn {daily}/day"],
        "lure_lines": [
            "{role} wanted in {abroad}. {high} a month, free flight and housing, no experience. {chat} {handle}",
            "Hiring {role} in {abroad}, salary {high}, visa and ticket free, no interview. Message {chat} {handle}",
            "Part-time job: like videos and earn {daily} a day. Contact your mentor on {chat} {handle}",
            "Easy online job, rate hotels, paid daily {daily}. Add {chat} {handle}",
            "{role} in {abroad}, passport needed, processing fee {fee}. {chat} {handle}",
            "Work in {abroad}, {high}/month, food and room free. Just bring your passport. {chat} {handle}",
            "Online task job, deposit {fee} to unlock VIP tasks, earn {daily} daily. {chat} {handle}",
            "Young ladies 18-25 for KTV in {abroad}, high tips, free flight. {chat} {handle}",
        ],
        "lure_msgs": [
            "Hi! We saw your CV. {role} in {abroad}, {high}, ticket paid. Interested? {chat} {handle}",
            "Hello dear, part-time job, only 30 min a day, earn {daily}. Reply YES",
            "Boss in {abroad} needs {role} now, all free, no experience ok. Add {chat} {handle}",
        ],
    },
    "tl": {
        "roles": ["Kusinero", "Tindera", "Kahera", "Driver", "Janitor", "Security guard", "Waiter", "Accounting clerk",
                  "Service crew", "Helper", "Kasambahay", "Mekaniko", "Call center agent", "Sales lady", "Barista",
                  "Hotel staff", "Electrician", "Encoder", "Rider", "Nurse"],
        "cities": ["Maynila", "Quezon City", "Cebu", "Davao", "Pasig", "Makati", "Iloilo", "Bacolod", "Baguio",
                   "Cavite", "Laguna", "Pampanga"],
        "abroad": ["Cambodia", "Myanmar", "Laos", "Dubai", "Thailand", "Malaysia"],
        "reqs": ["may karanasan", "kahit walang karanasan", "college level", "may lisensya", "18-35 taong gulang",
                 "marunong mag-Ingles", "pang-gabi", "part time lang", "taga-malapit lang sana", "may NBI clearance"],
        "pays": ["{n} kada araw", "{n} kada buwan", "may overtime pay", "may SSS at PhilHealth"],
        "benign_titles": ["{role}", "{role}", "Hiring: {role}", "{role} - {city}", "Wanted {role}", "Urgent {role}",
                          "Kailangan ng {role}", "{role} (part time)"],
        "benign_lines": [
            "Kailangan ng {role} sa {city}. {req}. Mag-apply sa {email}",
            "Hiring {role} para sa aming branch sa {city}. {req}. {pay}.",
            "Naghahanap kami ng {role}, {city}. {req}. Walk-in interview sa {day}.",
            "{role} wanted sa {city}, {pay}. PM lang po.",
            "Hiring po ng {role}, {req}, may libreng pagkain at uniform. Text {phone}",
            "Stay-in na {role} sa {city}, may sariling kwarto, day off tuwing {day}. PM po",
            "{role} sa {abroad} sa licensed agency, walang placement fee. {req}. Mag-apply sa {email}",
        ],
        "benign_msgs": [
            "Natanggap ako bilang {role} sa hotel! Simula sa {day}",
            "May bakante pa ba kayo para sa {role}?",
            "Pwede mo ba akong palitan sa shift sa {day}? May interview ako.",
            "Good morning po, kumpirmado ang interview ninyo sa {day} {time}. Dalhin ang resume at ID.",
            "Salamat sa pag-apply bilang {role}. Tatawagan namin kayo bago mag-{day}.",
            "Hiring daw ng {role} sa {city}, gusto mo ibigay ko number mo?",
        ],
        "lure_titles": ["{role} sa {abroad}, libre pamasahe", "Online job, kita araw-araw"],
        "lure_lines": [
            "Hiring {role} sa {abroad}! {high} kada buwan, libre pamasahe at tirahan, kahit walang karanasan. {chat} {handle}",
            "Part time online job: mag-like lang ng videos, kumita ng {daily} kada araw. Message si mentor sa {chat} {handle}",
            "{role} sa {abroad}, walang interview, sagot ang visa at ticket. PM sa {chat} {handle}",
            "Trabaho sa {abroad}, processing fee {fee}, ibigay lang ang passport. {chat} {handle}",
            "Online task, mag-deposit ng {fee} para ma-unlock ang VIP, kita {daily} araw-araw. {chat} {handle}",
        ],
        "lure_msgs": [
            "Hi po! May work sa {abroad}, {high}, libre lahat, kahit walang experience. Add {chat} {handle}",
            "Gusto mo ng sideline? 30 minutes lang kada araw, kita {daily}. Reply YES",
        ],
    },
    "id": {
        "roles": ["Kasir", "Koki", "Sopir", "Satpam", "Pramusaji", "Barista", "Staf admin", "Akuntan", "Perawat",
                  "Teknisi listrik", "Kurir", "Sales", "Resepsionis", "Staf gudang", "Guru les", "Staf hotel",
                  "Customer service", "Operator produksi", "Helper", "ART"],
        "cities": ["Jakarta", "Bandung", "Surabaya", "Medan", "Semarang", "Yogyakarta", "Makassar", "Bekasi",
                   "Tangerang", "Denpasar", "Batam", "Cikarang"],
        "abroad": ["Kamboja", "Myanmar", "Laos", "Thailand", "Dubai", "Malaysia"],
        "reqs": ["pengalaman min. 1 tahun", "fresh graduate boleh", "punya SIM A", "pendidikan min. SMA",
                 "bisa shift malam", "usia maks. 35 tahun", "tanpa pengalaman, ada pelatihan", "domisili dekat"],
        "pays": ["gaji UMR", "gaji {n} per bulan", "ada uang lembur", "BPJS ditanggung"],
        "benign_titles": ["{role}", "{role}", "Lowongan {role}", "{role} - {city}", "Dicari {role}",
                          "Loker {role} {city}", "{role} (part time)"],
        "benign_lines": [
            "Dicari {role} di {city}. {req}. Kirim CV ke {email}",
            "Lowongan {role} untuk cabang {city}, {req}. {pay}.",
            "{company} {city} membuka lowongan {role}. {req}. Walk-in interview hari {day}.",
            "Loker {role} {city}, {pay}, makan siang dan seragam disediakan. WA {phone}",
            "Butuh {role} segera, {req}. Lamaran ke {email}",
            "Cari {role} menginap di {city}, kamar sendiri, libur 2x sebulan. Japri ya",
            "{role} ke {abroad} lewat P3MI resmi, tanpa biaya penempatan. {req}. Daftar di {email}",
        ],
        "benign_msgs": [
            "Aku diterima jadi {role} di hotel! Mulai hari {day}",
            "Masih ada lowongan {role} gak di tempatmu?",
            "Bisa gantiin shift aku hari {day}? Ada interview.",
            "Selamat siang, interview Anda untuk posisi {role} hari {day} jam {time}. Mohon bawa CV dan KTP.",
            "Terima kasih sudah melamar posisi {role}. Kami hubungi sebelum hari {day}.",
            "Temenku lagi cari {role} di {city}, mau kukasih nomormu?",
        ],
        "lure_titles": ["{role} ke {abroad}, tiket gratis", "Kerja online, gaji harian"],
        "lure_lines": [
            "Dicari {role} di {abroad}, gaji {high} per bulan, tiket dan mess gratis, tanpa pengalaman. {chat} {handle}",
            "Kerja paruh waktu: like video dapat {daily} per hari. Hubungi mentor di {chat} {handle}",
            "Lowongan {role} {abroad}, tanpa interview, visa dan tiket ditanggung. Chat {chat} {handle}",
            "Kerja di {abroad}, biaya proses {fee}, paspor diserahkan ke agen. {chat} {handle}",
            "Tugas online, deposit {fee} untuk buka VIP, untung {daily} per hari. {chat} {handle}",
        ],
        "lure_msgs": [
            "Halo kak, ada kerja di {abroad}, gaji {high}, semua gratis, tanpa pengalaman. Add {chat} {handle}",
            "Mau kerja sampingan? Cuma 30 menit sehari, dapat {daily}. Balas YA",
        ],
    },
    "ms": {
        "roles": ["Juruwang", "Tukang masak", "Pemandu", "Pengawal keselamatan", "Pelayan", "Kerani akaun", "Jururawat",
                  "Pembantu kedai", "Penghantar", "Juruteknik", "Penyambut tetamu", "Pekerja kilang", "Staf hotel",
                  "Barista", "Pembantu am"],
        "cities": ["Kuala Lumpur", "Shah Alam", "Johor Bahru", "Ipoh", "Penang", "Kota Kinabalu", "Kuching",
                   "Melaka", "Seremban", "Kuantan"],
        "abroad": ["Kemboja", "Myanmar", "Laos", "Thailand", "Dubai"],
        "reqs": ["ada pengalaman", "tiada pengalaman boleh mohon", "ada lesen memandu", "SPM ke atas",
                 "boleh bekerja syif", "warganegara Malaysia sahaja", "umur 18-40"],
        "pays": ["gaji RM{n}", "gaji ikut pengalaman", "ada OT", "KWSP dan PERKESO"],
        "benign_titles": ["{role}", "{role}", "Jawatan kosong: {role}", "{role} - {city}", "Perlu {role}",
                          "{role} (separuh masa)"],
        "benign_lines": [
            "Jawatan kosong {role} di {city}. {req}. Hantar resume ke {email}",
            "Kami perlukan {role} segera di {city}. {req}. {pay}.",
            "{company} {city} mencari {role}. {req}. Temuduga terbuka hari {day}.",
            "{role} diperlukan, {pay}, makan disediakan. WhatsApp {phone}",
            "{role} untuk resort di {city}, asrama pekerja disediakan. {req}. Mohon di {email}",
        ],
        "benign_msgs": [
            "Saya dapat kerja {role} kat hotel tu! Mula hari {day}",
            "Ada kekosongan {role} lagi tak kat tempat awak?",
            "Temuduga anda untuk jawatan {role} pada {day} jam {time}. Sila bawa resume dan IC.",
            "Boleh ganti syif saya hari {day}? Ada temuduga.",
        ],
        "lure_titles": ["{role} di {abroad}, tiket percuma"],
        "lure_lines": [
            "Kerja {role} di {abroad}, gaji {high} sebulan, tiket dan tempat tinggal percuma, tiada pengalaman. {chat} {handle}",
            "Kerja sambilan: like video dapat {daily} sehari. Hubungi mentor di {chat} {handle}",
            "Kerja di {abroad}, yuran proses {fee}, serahkan pasport kepada ejen. {chat} {handle}",
            "Tugasan online, deposit {fee} untuk buka VIP, untung {daily} sehari. {chat} {handle}",
        ],
        "lure_msgs": [
            "Hai, ada kerja di {abroad}, gaji {high}, semua percuma, tak perlu pengalaman. Add {chat} {handle}",
        ],
    },
    "vi": {
        "roles": ["Thu ngân", "Đầu bếp", "Tài xế", "Bảo vệ", "Phục vụ", "Pha chế", "Kế toán", "Điều dưỡng",
                  "Nhân viên kho", "Nhân viên bán hàng", "Lễ tân", "Thợ điện", "Shipper", "Công nhân may",
                  "Nhân viên khách sạn", "Nhân viên văn phòng", "Giúp việc"],
        "cities": ["Hà Nội", "TP.HCM", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Biên Hòa", "Nha Trang", "Huế",
                   "Bình Dương", "Vũng Tàu"],
        "abroad": ["Campuchia", "Myanmar", "Lào", "Thái Lan", "Dubai", "Malaysia"],
        "reqs": ["có kinh nghiệm 1 năm", "không cần kinh nghiệm, được đào tạo", "có bằng lái B2", "tốt nghiệp THPT",
                 "làm ca đêm", "tuổi 18-35", "ở gần khu vực"],
        "pays": ["lương {n} triệu/tháng", "lương thỏa thuận", "có lương tăng ca", "đóng BHXH đầy đủ"],
        "benign_titles": ["{role}", "{role}", "Tuyển {role}", "{role} - {city}", "Cần tuyển {role}",
                          "{role} bán thời gian"],
        "benign_lines": [
            "Cần tuyển {role} tại {city}. {req}. Gửi CV về {email}",
            "Tuyển {role} cho chi nhánh {city}, {req}, {pay}.",
            "{company} {city} tuyển {role}. {req}. Phỏng vấn trực tiếp thứ {day}.",
            "Quán cần {role}, {pay}, bao cơm trưa. Liên hệ Zalo {phone}",
            "Tuyển {role} làm tại khách sạn ở {city}, có chỗ ở cho nhân viên. {req}. Gửi CV {email}",
            "Can tuyen {role} tai {city}, {req}, lien he {phone}",
        ],
        "benign_msgs": [
            "Em được nhận làm {role} ở khách sạn rồi! Thứ {day} bắt đầu",
            "Chỗ chị còn tuyển {role} không ạ?",
            "Mai đổi ca giúp mình được không, mình đi phỏng vấn.",
            "Chào bạn, lịch phỏng vấn vị trí {role} vào thứ {day} lúc {time}. Vui lòng mang CV và CCCD.",
            "Cam on ban da ung tuyen {role}, ben minh se goi lai truoc thu {day}.",
        ],
        "lure_titles": ["Tuyển {role} đi {abroad}, bao vé máy bay"],
        "lure_lines": [
            "Tuyển {role} làm tại {abroad}, lương {high}/tháng, bao vé và chỗ ở, không cần kinh nghiệm. {chat} {handle}",
            "Việc làm thêm: like video kiếm {daily}/ngày. Liên hệ người hướng dẫn qua {chat} {handle}",
            "Tuyen {role} di {abroad}, khong can phong van, bao visa va ve may bay. Nhan {chat} {handle}",
            "Đi làm {abroad}, phí hồ sơ {fee}, giao hộ chiếu cho công ty giữ. {chat} {handle}",
            "Nhiệm vụ online, nạp {fee} để mở VIP, lãi {daily} mỗi ngày. {chat} {handle}",
        ],
        "lure_msgs": [
            "Chào em, bên anh tuyển người đi {abroad}, lương {high}, bao hết, không cần kinh nghiệm. Add {chat} {handle}",
        ],
    },
    "th": {
        "roles": ["แคชเชียร์", "พ่อครัว", "คนขับรถ", "พนักงานรักษาความปลอดภัย", "พนักงานเสิร์ฟ", "บาริสต้า",
                  "พนักงานบัญชี", "พยาบาล", "พนักงานคลังสินค้า", "พนักงานขาย", "พนักงานต้อนรับ", "ช่างไฟฟ้า",
                  "ไรเดอร์ส่งอาหาร", "พนักงานโรงแรม", "แม่บ้าน", "แอดมิน"],
        "cities": ["กรุงเทพ", "เชียงใหม่", "ภูเก็ต", "ขอนแก่น", "ชลบุรี", "พัทยา", "หาดใหญ่", "นครราชสีมา",
                   "อุดรธานี", "ระยอง"],
        "abroad": ["กัมพูชา", "พม่า", "ลาว", "ดูไบ", "มาเลเซีย"],
        "reqs": ["มีประสบการณ์ 1 ปี", "ไม่มีประสบการณ์ก็ได้ มีสอนงาน", "มีใบขับขี่", "วุฒิ ม.6 ขึ้นไป",
                 "ทำงานเป็นกะได้", "อายุ 20-35 ปี"],
        "pays": ["เงินเดือน {n} บาท", "รายได้ตามประสบการณ์", "มีโอที", "มีประกันสังคม"],
        "benign_titles": ["{role}", "{role}", "รับสมัคร{role}", "{role} {city}", "ด่วน รับ{role}",
                          "{role} พาร์ทไทม์"],
        "benign_lines": [
            "รับสมัคร{role} ที่{city} {req} ส่งประวัติมาที่ {email}",
            "ร้านเราต้องการ{role} {req} {pay}",
            "{company} {city} รับสมัคร{role} {req} สัมภาษณ์วัน{day}",
            "รับ{role} {pay} มีข้าวให้ ติดต่อไลน์ {handle}",
            "รับสมัคร{role} โรงแรมที่{city} มีที่พักให้พนักงาน {req} สมัครที่ {email}",
        ],
        "benign_msgs": [
            "ได้งาน{role}ที่โรงแรมแล้ว! เริ่มวัน{day}",
            "ที่ร้านยังรับ{role}อยู่ไหมคะ",
            "แลกกะวัน{day}ได้ไหม พอดีไปสัมภาษณ์งาน",
            "สวัสดีค่ะ นัดสัมภาษณ์ตำแหน่ง{role} วัน{day} เวลา {time} กรุณานำเรซูเม่และบัตรประชาชนมาด้วย",
        ],
        "lure_titles": ["งาน{role}ที่{abroad} บินฟรี"],
        "lure_lines": [
            "รับสมัคร{role}ไปทำงาน{abroad} เงินเดือน {high} ตั๋วเครื่องบินและที่พักฟรี ไม่ต้องมีประสบการณ์ {chat} {handle}",
            "งานพาร์ทไทม์ กดไลก์วิดีโอ รายได้วันละ {daily} ติดต่อพี่เลี้ยงทาง {chat} {handle}",
            "งาน{abroad} ค่าดำเนินการ {fee} ต้องฝากพาสปอร์ตไว้กับนายหน้า {chat} {handle}",
            "ภารกิจออนไลน์ เติมเงิน {fee} เพื่อปลดล็อก VIP ได้กำไรวันละ {daily} {chat} {handle}",
        ],
        "lure_msgs": [
            "สวัสดีค่ะ มีงานที่{abroad} เงินเดือน {high} ฟรีทุกอย่าง ไม่ต้องมีประสบการณ์ แอด {chat} {handle}",
        ],
    },
    "zh": {
        "roles": ["收银员", "厨师", "司机", "保安", "服务员", "咖啡师", "会计", "护士", "仓库管理员", "销售",
                  "前台", "电工", "外卖骑手", "酒店服务员", "文员", "普工", "保洁"],
        "cities": ["深圳", "广州", "上海", "东莞", "杭州", "成都", "台北", "香港", "吉隆坡", "新加坡"],
        "abroad": ["柬埔寨", "缅甸", "老挝", "迪拜", "西港"],
        "reqs": ["有一年以上经验", "无经验可培训", "有驾照", "高中以上学历", "能上夜班", "年龄18-40岁"],
        "pays": ["月薪{n}元", "薪资面议", "有加班费", "五险一金"],
        "benign_titles": ["{role}", "{role}", "招聘{role}", "{role}（{city}）", "急招{role}", "兼职{role}"],
        "benign_lines": [
            "{city}招聘{role}，{req}，简历发至{email}",
            "本店招{role}，{req}，{pay}。",
            "{company}（{city}）招聘{role}，{req}，周{day}现场面试。",
            "招{role}，{pay}，包午餐，电话{phone}",
            "{city}酒店招聘{role}，提供员工宿舍，{req}，简历投{email}",
        ],
        "benign_msgs": [
            "我拿到酒店{role}的工作了！周{day}上班",
            "你们店还招{role}吗？",
            "周{day}能帮我代个班吗？我要去面试。",
            "您好，{role}岗位面试定在周{day}{time}，请带简历和身份证。",
        ],
        "lure_titles": ["{abroad}高薪{role}，包机票"],
        "lure_lines": [
            "{abroad}招{role}，月薪{high}，包机票包吃住，无需经验，{chat}{handle}",
            "兼职点赞视频，日赚{daily}，联系导师{chat}{handle}",
            "{abroad}工作，办理费{fee}，护照交公司保管，{chat}{handle}",
            "线上任务，充值{fee}解锁VIP，日收益{daily}，{chat}{handle}",
        ],
        "lure_msgs": [
            "你好，{abroad}这边招人，月薪{high}，吃住全包，没经验也可以，加{chat}{handle}",
        ],
    },
    "km": {
        "roles": ["អ្នកគិតលុយ", "ចុងភៅ", "អ្នកបើកបរ", "សន្តិសុខ", "គណនេយ្យករ", "អ្នកលក់", "បុគ្គលិកសណ្ឋាគារ",
                  "គិលានុបដ្ឋាក", "អ្នករត់តុ"],
        "cities": ["ភ្នំពេញ", "សៀមរាប", "បាត់ដំបង", "កំពត", "តាកែវ"],
        "abroad": ["ថៃ", "ម៉ាឡេស៊ី", "ឌូបៃ"],
        "reqs": ["មានបទពិសោធន៍", "គ្មានបទពិសោធន៍ក៏បាន"],
        "pays": ["ប្រាក់ខែ ${n}"],
        "benign_titles": ["{role}", "ត្រូវការ{role}", "{role} {city}", "ជ្រើសរើស{role}"],
        "benign_lines": ["ត្រូវការ{role}នៅ{city} {req} {pay} ទូរស័ព្ទ {phone}",
                         "ជ្រើសរើស{role} {req} ផ្ញើ CV មក {email}"],
        "benign_msgs": [],
        "lure_titles": [],
        "lure_lines": ["ការងារ{role}នៅ{abroad} ប្រាក់ខែ {high} ធ្វើដំណើរ និងស្នាក់នៅឥតគិតថ្លៃ គ្មានបទពិសោធន៍ក៏បាន {chat} {handle}"],
        "lure_msgs": [],
    },
    "my": {
        "roles": ["ငွေကိုင်", "စားဖိုမှူး", "ယာဉ်မောင်း", "လုံခြုံရေး", "စာရင်းကိုင်", "အရောင်းဝန်ထမ်း",
                  "ဟိုတယ်ဝန်ထမ်း", "သူနာပြု", "စားပွဲထိုး"],
        "cities": ["ရန်ကုန်", "မန္တလေး", "နေပြည်တော်", "ပဲခူး", "မော်လမြိုင်"],
        "abroad": ["ထိုင်း", "မလေးရှား", "ဒူဘိုင်း"],
        "reqs": ["အတွေ့အကြုံရှိသူ", "အတွေ့အကြုံမလိုပါ"],
        "pays": ["လစာ {n} ကျပ်"],
        "benign_titles": ["{role}", "{role} အလုပ်ခေါ်မည်", "{role} {city}"],
        "benign_lines": ["{city}တွင် {role} အလုပ်ခေါ်မည် {req} {pay} ဖုန်း {phone}",
                         "{role} ဝန်ထမ်းခေါ်ယူမည် {req} CV ကို {email} သို့ ပို့ပါ"],
        "benign_msgs": [],
        "lure_titles": [],
        "lure_lines": ["{abroad}တွင် {role} အလုပ် လစာ {high} လေယာဉ်လက်မှတ်နှင့် နေစရာ အခမဲ့ အတွေ့အကြုံမလိုပါ {chat} {handle}"],
        "lure_msgs": [],
    },
}

DAYS = {"en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "tl": ["Lunes", "Martes", "Miyerkules", "Huwebes", "Biyernes", "Sabado"],
        "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
        "ms": ["Isnin", "Selasa", "Rabu", "Khamis", "Jumaat", "Sabtu"],
        "vi": ["2", "3", "4", "5", "6", "7"],
        "th": ["จันทร์", "อังคาร", "พุธ", "พฤหัส", "ศุกร์", "เสาร์"],
        "zh": ["一", "二", "三", "四", "五", "六"],
        "km": ["ច័ន្ទ"], "my": ["တနင်္လာ"]}

CHATS = ["Telegram", "WhatsApp", "WeChat", "LINE", "Zalo", "Signal", "Viber"]
COMPANIES = ["Harbor Foods", "Sunrise Logistics", "Maple Clinic", "Bayview Hotel", "Greenleaf Trading",
             "Northstar Services", "Lotus Bakery", "Pacific Retail", "Riverside Motors", "Orchid Suites"]
# Ordinary pay as one language writes it (format, smallest, largest), and a lure's monthly pay, day's task pay and fee.
MONEY = {"en": ("{:,}", 1500, 60000), "tl": ("₱{:,}", 500, 25000), "id": ("Rp{:,}", 100000, 6000000),
         "ms": ("{:,}", 1500, 4000), "vi": ("{}", 6, 15), "th": ("{:,}", 9000, 25000), "zh": ("{}", 4000, 9000),
         "km": ("{}", 200, 600), "my": ("{:,}", 300000, 900000)}
LURE_MONEY = {
    "en": (["$1,500", "$2,000", "2,500 USD", "$3,000", "1,800 USD"], ["$50", "$80", "$120", "300-800"],
           ["$300", "$500", "$150"]),
    "tl": (["₱80,000", "₱100,000", "$1,500", "₱120k"], ["₱500", "₱1,000", "₱800-1,500"], ["₱15,000", "₱25,000"]),
    "id": (["Rp20 juta", "Rp25 jt", "1.500 USD", "Rp30 juta"], ["Rp300rb", "Rp500.000", "Rp200-800rb"],
           ["Rp5 juta", "Rp3 jt"]),
    "ms": (["RM8,000", "RM10k", "USD1,500"], ["RM150", "RM300"], ["RM2,000", "RM1,500"]),
    "vi": (["30 triệu", "1500 USD", "40tr", "2.000 USD"], ["500k", "1 triệu", "300-800k"], ["20 triệu", "15tr"]),
    "th": (["50,000 บาท", "1,500 USD", "60,000 บาท"], ["800 บาท", "1,500 บาท"], ["20,000 บาท", "15,000 บาท"]),
    "zh": (["2万", "3万", "1500美金", "月入过万"], ["500元", "300-800元"], ["5000元", "8000元"]),
    "km": (["$1,500", "$2,000"], ["$50"], ["$500"]),
    "my": (["၅၀ သိန်း", "$1,500"], ["၅၀,၀၀၀ ကျပ်"], ["၁၀ သိန်း"]),
}


def fill(rng: random.Random, lang: str, template: str, role: str | None = None) -> str:
    """`template` of `lang` with its slots drawn from `rng` (`{role}` being `role` when given)."""
    p = LANGS[lang]
    plain, lo, hi = MONEY[lang]
    high, daily, fee = LURE_MONEY[lang]
    n = rng.randrange(lo, hi + 1)
    n = n if n < 1000 else round(n, -2)
    digits = "".join(str(rng.randint(0, 9)) for _ in range(8))
    company = rng.choice(COMPANIES)
    values = {
        "role": role or rng.choice(p["roles"]), "city": rng.choice(p["cities"]), "abroad": rng.choice(p["abroad"]),
        "req": rng.choice(p["reqs"]), "day": rng.choice(DAYS[lang]), "company": company,
        "time": rng.choice(["9:00", "10:30", "14:00", "15:30", "9am", "2pm"]),
        "email": rng.choice(["hr", "jobs", "careers", "apply", "recruit"]) + "@"
        + "".join(c for c in company.lower() if c.isalnum()) + rng.choice([".com", ".com.ph", ".co.id", ".my", ".vn"]),
        "phone": "+" + rng.choice(["63", "62", "60", "84", "66", "855", "95", "254"]) + " " + digits[:3] + " "
        + digits[3:],
        "chat": rng.choice(CHATS), "handle": "@" + rng.choice(["hr", "job", "work", "team", "boss"]) + digits[:4],
        "high": rng.choice(high), "daily": rng.choice(daily), "fee": rng.choice(fee),
    }
    values["pay"] = rng.choice(p["pays"]).format(n=plain.format(n))
    return template.format(**values)


def record(rng: random.Random, lang: str, key: str, label: int, role: str, i: int) -> dict:
    """One record of shape `key` ("benign_titles", "lure_lines", …) of `lang` about `role`."""
    p = LANGS[lang]
    text = fill(rng, lang, rng.choice(p[key]), role)
    out = {"id": f"short-postings:{lang}-{i:04d}", "source": "short-postings", "label": label, "lang": lang,
           "group": f"short-postings:{lang}-{key}", "split": "train"}
    if key.endswith("_msgs") or (key.endswith("_lines") and rng.random() < 0.5):
        out.update(kind="message", text=text)
    elif key.endswith("_titles"):
        out.update(kind="posting", title=text)
        if rng.random() < 0.4:
            out["location"] = rng.choice(p["cities"] if label == 0 else p["abroad"])
    else:
        # A one-line ad under its role as the title, as a job board shows it.
        out.update(kind="posting", title=role, description=text)
    return out


def records(rng: random.Random, lang: str, count: int) -> list[dict]:
    """`count` ordinary short job texts of `lang`, and for half of them a short lure about the same role: a role is
    never more often a lure's title than an ordinary one's (the lexical member reads a title's words on their own)."""
    p = LANGS[lang]
    weights = {"benign_titles": 4, "benign_lines": 4, "benign_msgs": 2, "lure_titles": 1, "lure_lines": 3,
               "lure_msgs": 1}
    benign = [k for k in ("benign_titles", "benign_lines", "benign_msgs") if p[k]]
    lure = [k for k in ("lure_titles", "lure_lines", "lure_msgs") if p[k]]
    out = []
    for _ in range(count):
        role = rng.choice(p["roles"])
        key = rng.choices(benign, weights=[weights[k] for k in benign])[0]
        out.append(record(rng, lang, key, 0, role, len(out)))
        if rng.random() < 0.5:
            key = rng.choices(lure, weights=[weights[k] for k in lure])[0]
            out.append(record(rng, lang, key, 1, role, len(out)))
            if out[-1].get("title") == role:
                # The lure's title is the bare role: the same title over an ordinary record too.
                out.append({**record(rng, lang, "benign_titles", 0, role, len(out)), "title": role})
    return out


# Draws per language: each gives an ordinary record, and half of them a lure too.
COUNTS = {"en": 200, "tl": 100, "id": 100, "ms": 70, "vi": 100, "th": 80, "zh": 80, "km": 30, "my": 30}


def generate(seed: int = SEED) -> list[dict]:
    """Every language's records, in the order of COUNTS."""
    rng = random.Random(seed)
    return [row for lang, count in COUNTS.items() for row in records(rng, lang, count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="JSONL file to write")
    args = parser.parse_args()
    with open(args.out, "w", encoding="utf-8") as out:
        for row in generate():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
