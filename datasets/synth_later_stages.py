"""Parts of `synth_lures.py`'s edition 3, written for this project: the later stages of online task scams and the
fee-charging fake agents of overseas work, each beside ordinary texts with the same words, in nine languages.

Written from what public warnings describe (FTC and FBI IC3 on task scams; INTERPOL, UNODC, IOM, ILO; the
Philippine DMW, Indonesian BP2MI, Vietnamese DOLAB, Thai DOE, Korean EPS and Japanese TITP/SSW notices; police
advisories in the region), without reading any evaluation data. Names, account and licence numbers are placeholders.
Slots: `{amount}` (a number; the currency is in the text) and `{pct}` (a percentage). Each language's eight lines
of a list are the same eight scenarios, adapted to the language's wording and currency. The Khmer and Burmese lines
had no native speaker's review.

- `TASK_STAGE2[lang]["lure"]`: after the hook: a "combination" or "lucky" order or a VIP level that needs a deposit
  first, a negative balance to recharge, a tax, fee or credit-score restoration before a withdrawal, the
  "receptionist" who gives the deposit account. `["benign"]`: telco top-up promotions, wallet cash-in receipts, bank
  transfer notices, commission on a payslip, a shop's loyalty level, a rider's weekly trip bonus, a freelance
  platform's payout, a police warning about task scams.
- `FEE_AGENT[lang]["lure"]`: work in Korea, Japan, Taiwan, Europe, Canada or Dubai with no language test, a visa
  "guaranteed", a placement fee or a deposit to a personal account to hold a place, a tourist visa to be "converted".
  `["benign"]`: government-to-government programmes (Korea's EPS with its language test), a licensed agency with its
  licence number and the legal fee cap or no fee, a government warning against illegal recruiters, an embassy's visa
  notice, a job abroad with a named employer and contract, a language school preparing for the EPS test.
"""


# Later-stage online task-scam messages vs. benign texts sharing their surface words.
TASK_STAGE2 = {
    "en": {
        "lure": [
            (
                "Congratulations, you have completed 28 of 40 tasks today! You have triggered a lucky combination "
                "order; please top up USD {amount} first to process it and earn {pct}% commission."
            ),
            (
                "Dear member, your account balance is now negative (-KSh {amount}). Kindly recharge to clear the "
                "balance and continue with your remaining tasks."
            ),
            (
                "Your commission is ready for withdrawal, but the system requires a {pct}% tax clearance fee of "
                "₦{amount} before funds can be released."
            ),
            (
                "Your credit score has dropped to 60 because of late submission. Pay Rs {amount} as credit-score "
                "restoration fee to unlock withdrawal. Kindly do the needful today."
            ),
            (
                "Please contact our receptionist on Telegram, she will give you the deposit account for the USD "
                "{amount} top-up. Send the receipt after transfer so your VIP 3 level is activated."
            ),
            (
                "Only 3 tasks remaining to unlock withdrawal! The merge order needs a top-up of {amount} USDT; once "
                "done you get back your principal plus {pct}% bonus."
            ),
            (
                "Upgrade to VIP level 2 with a deposit of ₱{amount} and your commission per task rises to {pct}%. Your "
                "mentor is waiting for your confirmation."
            ),
            (
                "Sorry dear, withdrawal failed because of wrong bank details. To unfreeze the account you must pay a "
                "service fee of GH₵{amount}; it will be refunded together with your profit."
            ),
        ],
        "benign": [
            (
                "Recharge KSh {amount} or more today and get {pct}% bonus data valid for 7 days. Dial *XXX# or use the "
                "app to top up. T&Cs apply."
            ),
            (
                "Cash-in successful: ₱{amount} has been added to your e-wallet. Ref No. XXXXXXXX. Thank you for using "
                "our service."
            ),
            (
                "Your account XXXX1234 has been credited with ₦{amount} by transfer from ABC Ltd. If you did not "
                "expect this, call the number on the back of your card."
            ),
            (
                "Hi team, March commission statements are out. Commission is {pct}% of net sales and Rs {amount} will "
                "be paid with salary on the 30th through payroll. No action needed."
            ),
            (
                "Congratulations! You have reached VIP Gold level in our shop's loyalty programme. Enjoy {pct}% off "
                "and free delivery; no fee or top-up is required."
            ),
            (
                "Rider challenge: complete 20 trips this week and get a bonus of KSh {amount}, paid automatically into "
                "your in-app earnings on Monday."
            ),
            (
                "Your payout of USD {amount} for completed milestones has been sent to your linked bank account. The "
                "{pct}% platform service fee was already deducted; nothing more to pay."
            ),
            (
                "POLICE ALERT: Scammers offer online 'tasks' like liking videos, then ask you to top up for 'merge "
                "orders' or pay fees to withdraw. No real job asks you to pay to get paid."
            ),
        ],
    },
    "vi": {
        "lure": [
            (
                "Chúc mừng bạn đã hoàn thành 25/30 nhiệm vụ! Hệ thống vừa phân cho bạn một đơn gộp may mắn, vui lòng "
                "nạp trước {amount}đ để xử lý và nhận hoa hồng {pct}%."
            ),
            (
                "Tài khoản của bạn hiện đang âm {amount} VNĐ. Bạn cần nạp tiền bù số dư âm thì mới tiếp tục làm nhiệm "
                "vụ được nhé."
            ),
            (
                "Để rút tiền hoa hồng, bạn phải đóng thuế thu nhập {pct}%, tương đương {amount}đ. Sau khi nộp, tiền sẽ "
                "về tài khoản trong 5 phút."
            ),
            (
                "Điểm tín nhiệm của bạn bị trừ xuống 70 do thao tác sai. Vui lòng nộp phí khôi phục điểm tín nhiệm "
                "{amount}đ để mở khóa rút tiền."
            ),
            (
                "Bạn liên hệ lễ tân qua Telegram để nhận số tài khoản nạp {amount}đ nhé. Chuyển xong gửi bill cho lễ "
                "tân để được kích hoạt cấp VIP."
            ),
            (
                "Còn 4 nhiệm vụ nữa là mở khóa rút tiền rồi bạn ơi! Nhiệm vụ tiếp theo cần nạp {amount}đ, hoàn thành "
                "xong nhận lại cả gốc lẫn {pct}% lãi."
            ),
            (
                "Nâng cấp lên VIP 3 chỉ với khoản nạp {amount}đ, hoa hồng mỗi đơn tăng lên {pct}%. Thầy hướng dẫn đang "
                "chờ bạn xác nhận."
            ),
            (
                "Lệnh rút tiền thất bại do sai thông tin ngân hàng. Để giải đóng băng tài khoản, bạn cần nộp phí dịch "
                "vụ {amount}đ, khoản này sẽ được hoàn lại cùng lợi nhuận."
            ),
        ],
        "benign": [
            (
                "Nạp tiền điện thoại từ {amount}đ hôm nay, tặng ngay {pct}% giá trị thẻ nạp và 5GB data tốc độ cao. "
                "Nạp qua ứng dụng của nhà mạng hoặc bấm *XXX#."
            ),
            "Nạp tiền vào ví thành công: +{amount}đ. Mã giao dịch XXXXXXXX. Số dư ví đã được cập nhật.",
            (
                "TK XXXX1234 +{amount}VND lúc 09:15. ND: CONG TY ABC CHUYEN KHOAN. Xem số dư chi tiết trong ứng dụng "
                "ngân hàng."
            ),
            (
                "Phòng Nhân sự thông báo: hoa hồng kinh doanh tháng 3 được tính {pct}% doanh số thuần, tổng {amount}đ, "
                "chi trả cùng kỳ lương ngày 10 qua tài khoản lương."
            ),
            (
                "Chúc mừng bạn đã được nâng hạng thành viên VIP Vàng! Bạn được giảm {pct}% cho mọi đơn hàng và miễn "
                "phí vận chuyển, không cần nạp thêm tiền."
            ),
            (
                "Thử thách tài xế: hoàn thành 20 chuyến trong tuần này để nhận thưởng {amount}đ. Tiền thưởng được cộng "
                "tự động vào ví tài xế vào thứ Hai."
            ),
            (
                "Khoản thanh toán {amount}đ cho dự án đã hoàn thành đã được chuyển về tài khoản ngân hàng của bạn. Phí "
                "nền tảng {pct}% đã được khấu trừ, bạn không cần trả thêm."
            ),
            (
                "Công an cảnh báo: đối tượng lừa đảo giao 'nhiệm vụ' like, đánh giá sản phẩm rồi yêu cầu nạp tiền 'đơn "
                "gộp', nộp 'phí rút tiền'. Không việc làm thật nào bắt bạn nạp tiền để nhận lương."
            ),
        ],
    },
    "th": {
        "lure": [
            (
                "ยินดีด้วยค่ะ คุณทำภารกิจครบ 25 จาก 30 รายการแล้ว ระบบสุ่มได้ออเดอร์รวมนำโชค กรุณาเติมเงิน {amount} "
                "บาทก่อน เพื่อรับค่าคอมมิชชั่น {pct}%"
            ),
            "ยอดเงินในบัญชีของคุณติดลบ {amount} บาท กรุณาเติมเงินเพื่อเคลียร์ยอดก่อน จึงจะทำภารกิจต่อได้ค่ะ",
            (
                "หากต้องการถอนค่าคอมมิชชั่น ต้องชำระภาษี {pct}% เป็นเงิน {amount} บาทก่อน "
                "หลังชำระแล้วเงินจะเข้าบัญชีภายใน 5 นาที"
            ),
            (
                "คะแนนเครดิตของคุณลดลงเหลือ 70 เนื่องจากทำรายการผิดพลาด กรุณาชำระค่าธรรมเนียมกู้คืนเครดิต {amount} บาท "
                "เพื่อปลดล็อกการถอนเงิน"
            ),
            (
                "ติดต่อแอดมินฝ่ายต้อนรับทางไลน์เพื่อขอเลขบัญชีสำหรับฝาก {amount} บาทนะคะ "
                "โอนแล้วส่งสลิปให้แอดมินเพื่อเปิดใช้งานระดับ VIP"
            ),
            (
                "เหลืออีกแค่ 4 ภารกิจก็ถอนเงินได้แล้วค่ะ ภารกิจถัดไปต้องเติม {amount} บาท ทำเสร็จรับคืนทั้งต้นและกำไร "
                "{pct}%"
            ),
            "อัปเกรดเป็น VIP 3 เพียงฝาก {amount} บาท ค่าคอมต่อออเดอร์เพิ่มเป็น {pct}% พี่เลี้ยงรอคุณยืนยันอยู่นะคะ",
            (
                "การถอนเงินล้มเหลวเนื่องจากข้อมูลบัญชีธนาคารไม่ถูกต้อง ต้องชำระค่าบริการ {amount} "
                "บาทเพื่อปลดอายัดบัญชี เงินจำนวนนี้จะคืนพร้อมกำไร"
            ),
        ],
        "benign": [
            (
                "เติมเงินตั้งแต่ {amount} บาทวันนี้ รับโบนัสเน็ตเพิ่ม {pct}% ใช้ได้ 7 วัน เติมผ่านแอปหรือกด *XXX# "
                "โทรออก"
            ),
            "เติมเงินเข้าวอลเล็ตสำเร็จ {amount} บาท เลขที่รายการ XXXXXXXX ขอบคุณที่ใช้บริการ",
            "บัญชี XXX-X-X1234-X มีเงินโอนเข้า {amount} บาท จากบริษัท เอบีซี จำกัด ตรวจสอบยอดคงเหลือได้ในแอปธนาคาร",
            (
                "ฝ่ายบุคคลแจ้ง: ค่าคอมมิชชั่นยอดขายเดือนมีนาคมคิด {pct}% ของยอดขายสุทธิ รวม {amount} บาท "
                "จ่ายพร้อมเงินเดือนวันที่ 25 ผ่านบัญชีเงินเดือน"
            ),
            (
                "ยินดีด้วย! คุณได้เลื่อนเป็นสมาชิก VIP ระดับโกลด์ รับส่วนลด {pct}% และส่งฟรีทุกออเดอร์ "
                "ไม่ต้องเติมเงินหรือชำระค่าธรรมเนียมใด ๆ"
            ),
            (
                "ภารกิจไรเดอร์: วิ่งครบ 20 เที่ยวในสัปดาห์นี้ รับโบนัส {amount} บาท "
                "เข้ากระเป๋ารายได้ในแอปอัตโนมัติวันจันทร์"
            ),
            (
                "ค่าจ้างงานฟรีแลนซ์ {amount} บาทโอนเข้าบัญชีธนาคารของคุณแล้ว หักค่าบริการแพลตฟอร์ม {pct}% เรียบร้อย "
                "ไม่ต้องชำระเพิ่ม"
            ),
            (
                "ตำรวจไซเบอร์เตือน! มิจฉาชีพหลอกให้ทำงานออนไลน์ กดไลก์ รีวิวสินค้า "
                "แล้วให้เติมเงินทำภารกิจหรือจ่ายค่าธรรมเนียมก่อนถอน งานจริงไม่มีให้จ่ายเงินก่อนได้เงิน"
            ),
        ],
    },
    "id": {
        "lure": [
            (
                "Selamat kak, 25 dari 30 tugas sudah selesai! Kakak dapat pesanan gabungan keberuntungan, silakan top "
                "up Rp{amount} dulu supaya bisa diproses dan dapat komisi {pct}%."
            ),
            (
                "Saldo akun Anda saat ini minus Rp{amount}. Mohon lakukan isi ulang untuk menutup saldo minus agar "
                "bisa lanjut mengerjakan tugas."
            ),
            (
                "Untuk menarik komisi, Anda wajib membayar pajak {pct}% sebesar Rp{amount}. Setelah dibayar, dana akan "
                "masuk ke rekening dalam 5 menit."
            ),
            (
                "Skor kredit akun kakak turun jadi 70 karena salah operasi. Bayar biaya pemulihan skor kredit "
                "Rp{amount} untuk membuka penarikan ya."
            ),
            (
                "Silakan hubungi resepsionis di Telegram untuk minta nomor rekening deposit Rp{amount} ya kak. Setelah "
                "transfer kirim bukti ke resepsionis biar level VIP aktif."
            ),
            (
                "Tinggal 4 tugas lagi untuk membuka penarikan! Tugas berikutnya perlu deposit Rp{amount}, setelah "
                "selesai modal kembali plus keuntungan {pct}%."
            ),
            (
                "Naik ke VIP 3 cukup dengan deposit Rp{amount}, komisi per pesanan jadi {pct}%. Mentor sedang menunggu "
                "konfirmasi kakak."
            ),
            (
                "Penarikan gagal karena data rekening salah. Untuk mencairkan akun yang dibekukan, bayar biaya layanan "
                "Rp{amount}, nanti dikembalikan bersama keuntungan."
            ),
        ],
        "benign": [
            (
                "Isi ulang pulsa minimal Rp{amount} hari ini dan dapatkan bonus kuota {pct}% berlaku 7 hari. Isi lewat "
                "aplikasi atau tekan *XXX#."
            ),
            "Top up e-wallet berhasil: Rp{amount} telah masuk ke saldo Anda. No. Ref XXXXXXXX. Terima kasih.",
            (
                "Dana masuk Rp{amount} ke rekening XXXX1234 dari PT ABC melalui transfer. Cek saldo di aplikasi mobile "
                "banking Anda."
            ),
            (
                "Info HRD: komisi penjualan bulan Maret dihitung {pct}% dari penjualan bersih, total Rp{amount}, "
                "dibayarkan bersama gaji tanggal 25 melalui rekening payroll."
            ),
            (
                "Selamat! Anda naik ke level member VIP Gold. Nikmati diskon {pct}% dan gratis ongkir, tanpa perlu top "
                "up atau biaya tambahan."
            ),
            (
                "Tantangan mitra driver: selesaikan 20 trip minggu ini dan dapatkan bonus Rp{amount}, otomatis masuk "
                "ke dompet pendapatan hari Senin."
            ),
            (
                "Pembayaran proyek freelance sebesar Rp{amount} sudah dikirim ke rekening bank Anda. Biaya layanan "
                "platform {pct}% sudah dipotong, tidak ada biaya lain."
            ),
            (
                "Waspada penipuan! Pelaku menawarkan kerja online like dan review produk, lalu meminta deposit "
                "'pesanan gabungan' atau biaya penarikan. Kerja asli tidak pernah minta Anda bayar dulu."
            ),
        ],
    },
    "tl": {
        "lure": [
            (
                "Congrats po! Natapos n'yo na ang 25 out of 30 tasks. Nakakuha kayo ng lucky combination order, pa-top "
                "up muna ng ₱{amount} para ma-process at makuha ang {pct}% commission."
            ),
            (
                "Ma'am/Sir, negative po ang balance ng account n'yo (-₱{amount}). Kailangan mag-recharge muna para "
                "ma-clear at makapagpatuloy sa tasks."
            ),
            (
                "Para ma-withdraw ang commission, kailangan munang bayaran ang {pct}% tax na ₱{amount}. Pagkabayad, "
                "papasok ang pera sa account within 5 minutes."
            ),
            (
                "Bumaba po sa 70 ang credit score n'yo dahil sa maling operation. Magbayad ng ₱{amount} na credit "
                "score restoration fee para ma-unlock ang withdrawal."
            ),
            (
                "Paki-message po ang receptionist sa Telegram, siya ang magbibigay ng deposit account para sa "
                "₱{amount}. I-send ang resibo pagkatapos para ma-activate ang VIP level n'yo."
            ),
            (
                "4 tasks na lang po at ma-unlock na ang withdrawal! Ang susunod na task ay may deposit na ₱{amount}, "
                "pagkatapos babalik ang puhunan plus {pct}% kita."
            ),
            (
                "Mag-upgrade sa VIP 3 sa deposit na ₱{amount} lang, tataas sa {pct}% ang commission kada order. "
                "Hinihintay na po kayo ng mentor."
            ),
            (
                "Failed ang withdrawal dahil mali ang bank details. Para ma-unfreeze ang account, kailangang magbayad "
                "ng service fee na ₱{amount}, ibabalik din ito kasama ng profit n'yo."
            ),
        ],
        "benign": [
            (
                "Mag-load ng ₱{amount} pataas ngayon at makakuha ng {pct}% bonus data, valid for 7 days. I-dial ang "
                "*XXX# o gamitin ang app."
            ),
            (
                "Cash-in successful! Natanggap mo ang ₱{amount} sa iyong e-wallet. Ref No. XXXXXXXX. Salamat sa "
                "paggamit."
            ),
            (
                "Na-credit ang ₱{amount} sa account XXXX1234 mula sa ABC Corp. via bank transfer. Tingnan ang balance "
                "sa inyong banking app."
            ),
            (
                "Hi team, ang sales commission para sa Marso ay {pct}% ng net sales. Ang ₱{amount} ay isasama sa sahod "
                "sa ika-30 sa payroll account n'yo."
            ),
            (
                "Congrats! Na-upgrade ka na sa VIP Gold level ng aming shop. Enjoy {pct}% off at free shipping, walang "
                "kailangang top-up o bayad."
            ),
            (
                "Rider challenge: Tapusin ang 20 trips ngayong linggo at makakuha ng ₱{amount} bonus, automatic na "
                "papasok sa earnings wallet sa Lunes."
            ),
            (
                "Naipadala na sa bank account mo ang payout na ₱{amount} para sa natapos na project. Bawas na ang "
                "{pct}% platform fee, wala ka nang kailangang bayaran."
            ),
            (
                "BABALA mula sa PNP Anti-Cybercrime Group: Mag-ingat sa 'like and earn' o task jobs na humihingi ng "
                "top-up para sa 'merge order' o bayad bago mag-withdraw. Walang totoong trabaho na pagbabayarin ka "
                "para sumahod."
            ),
        ],
    },
    "zh": {
        "lure": [
            "恭喜您已完成今日25/30单任务！系统为您匹配到幸运组合单，请先充值{amount}元即可处理，完成后获得{pct}%佣金。",
            "您的账户余额目前为负数（-{amount}元），需充值补足负余额后才能继续做任务。",
            "提現佣金前須先繳納{pct}%個人所得稅，共NT${amount}，繳納後5分鐘內到帳。",
            "您的信用分因操作失誤降至70分，請繳納信用分修復費{amount}元以解鎖提現。",
            "请联系接待员（Telegram）领取今日充值{amount}元的收款账户，转账后把截图发给接待员，即可开通VIP等级。",
            "親，還差4個任務就能解鎖提現啦！下一單需要墊付{amount}元，完成後本金加{pct}%收益一起返還。",
            "升级VIP3只需充值{amount}元，每单佣金提升至{pct}%。导师正在等您确认。",
            "提現失敗，原因為銀行資料填寫錯誤。需繳交解凍服務費{amount}元才能解凍帳戶，此費用將連同收益一併退還。",
        ],
        "benign": [
            "即日起儲值{amount}元以上，加贈{pct}%上網流量，7天內有效。可透過App或撥*XXX#儲值。",
            "钱包充值成功：{amount}元已到账，交易单号XXXXXXXX。感谢您的使用。",
            "您尾号1234的账户于09:15收到ABC公司转账{amount}元，余额请在手机银行查看。",
            "人資部通知：3月份業務佣金按淨銷售額{pct}%計算，共NT${amount}，將隨本月25日薪資一併匯入薪轉帳戶。",
            "恭喜您升级为黄金VIP会员！全场享{pct}%折扣及免运费，无需充值或支付任何费用。",
            "外送夥伴挑戰：本週完成20趟訂單即可獲得獎金{amount}元，週一自動匯入App收入錢包。",
            "您的接案款项{amount}元已汇入绑定的银行账户，平台服务费{pct}%已扣除，无需另外支付。",
            "警方反詐騙提醒：歹徒以按讚、刷單等網路兼職為餌，再要求儲值「合併單」或繳交提領手續費。真正的工作不會要你先付錢才領薪水。",
        ],
    },
    "km": {
        "lure": [
            (
                "សូមអបអរសាទរ! អ្នកបានបំពេញភារកិច្ច ២៥ ក្នុងចំណោម ៣០ ហើយ។ អ្នកទទួលបានការបញ្ជាទិញរួមបញ្ចូលគ្នាសំណាងល្អ "
                "សូមបញ្ចូលលុយ {amount} ដុល្លារ ជាមុនសិន ដើម្បីទទួលកម្រៃជើងសារ {pct}%។"
            ),
            (
                "សមតុល្យគណនីរបស់អ្នកបច្ចុប្បន្នគឺអវិជ្ជមាន (-{amount} ដុល្លារ)។ សូមបញ្ចូលលុយដើម្បីទូទាត់សមតុល្យ "
                "ទើបអាចបន្តធ្វើភារកិច្ចបាន។"
            ),
            (
                "ដើម្បីដកកម្រៃជើងសារ អ្នកត្រូវបង់ពន្ធ {pct}% ស្មើនឹង {amount} ដុល្លារ ជាមុនសិន។ បន្ទាប់ពីបង់រួច "
                "ប្រាក់នឹងចូលគណនីក្នុងរយៈពេល ៥ នាទី។"
            ),
            (
                "ពិន្ទុឥណទានរបស់អ្នកធ្លាក់មកនៅ ៧០ ដោយសារប្រតិបត្តិការខុស។ សូមបង់ថ្លៃស្តារពិន្ទុឥណទាន {amount} ដុល្លារ "
                "ដើម្បីដោះសោការដកប្រាក់។"
            ),
            (
                "សូមទាក់ទងអ្នកទទួលភ្ញៀវតាម Telegram ដើម្បីសុំលេខគណនីសម្រាប់ដាក់ប្រាក់ {amount} ដុល្លារ។ "
                "ផ្ទេររួចសូមផ្ញើវិក្កយបត្រមក ដើម្បីបើកកម្រិត VIP។"
            ),
            (
                "នៅសល់តែ ៤ ភារកិច្ចទៀតប៉ុណ្ណោះ ទើបអាចដកប្រាក់បាន! ភារកិច្ចបន្ទាប់ត្រូវដាក់ប្រាក់ {amount} ដុល្លារ "
                "ហើយនឹងទទួលបានដើមទុនវិញ បូកប្រាក់ចំណេញ {pct}%។"
            ),
            (
                "ដំឡើងទៅ VIP 3 ដោយដាក់ប្រាក់ត្រឹមតែ {amount} ដុល្លារ កម្រៃជើងសារក្នុងមួយការបញ្ជាទិញនឹងកើនដល់ {pct}%។ "
                "គ្រូណែនាំកំពុងរង់ចាំការបញ្ជាក់ពីអ្នក។"
            ),
            (
                "ការដកប្រាក់បរាជ័យ ដោយសារព័ត៌មានគណនីធនាគារមិនត្រឹមត្រូវ។ ដើម្បីដោះការបង្កកគណនី អ្នកត្រូវបង់ថ្លៃសេវា "
                "{amount} ដុល្លារ ហើយប្រាក់នេះនឹងសងវិញជាមួយប្រាក់ចំណេញ។"
            ),
        ],
        "benign": [
            (
                "បញ្ចូលលុយចាប់ពី {amount} រៀល ថ្ងៃនេះ ទទួលបានទិន្នន័យអ៊ីនធឺណិតបន្ថែម {pct}% ប្រើបាន ៧ ថ្ងៃ។ "
                "បញ្ចូលតាមកម្មវិធី ឬចុច *XXX#។"
            ),
            "បញ្ចូលប្រាក់ចូលកាបូបអេឡិចត្រូនិកបានជោគជ័យ៖ {amount} រៀល។ លេខយោង XXXXXXXX។ សូមអរគុណ។",
            (
                "គណនី XXXX1234 បានទទួលប្រាក់ផ្ទេរ {amount} ដុល្លារ ពីក្រុមហ៊ុន ABC។ "
                "សូមពិនិត្យសមតុល្យក្នុងកម្មវិធីធនាគាររបស់អ្នក។"
            ),
            (
                "ផ្នែកធនធានមនុស្សសូមជូនដំណឹង៖ កម្រៃជើងសារលក់ខែមីនា គិត {pct}% នៃការលក់សុទ្ធ សរុប {amount} ដុល្លារ "
                "នឹងបើកជាមួយប្រាក់ខែនៅថ្ងៃទី ៣០។"
            ),
            (
                "សូមអបអរសាទរ! អ្នកបានឡើងកម្រិតសមាជិក VIP មាស។ ទទួលបានការបញ្ចុះតម្លៃ {pct}% និងដឹកជញ្ជូនឥតគិតថ្លៃ "
                "ដោយមិនចាំបាច់បញ្ចូលលុយ ឬបង់ថ្លៃអ្វីឡើយ។"
            ),
            (
                "កម្មវិធីលើកទឹកចិត្តអ្នកដឹកជញ្ជូន៖ បំពេញ ២០ ជើងក្នុងសប្តាហ៍នេះ ទទួលបានប្រាក់រង្វាន់ {amount} រៀល "
                "ដែលនឹងបញ្ចូលក្នុងកាបូបចំណូលដោយស្វ័យប្រវត្តិនៅថ្ងៃច័ន្ទ។"
            ),
            (
                "ប្រាក់ទូទាត់ {amount} ដុល្លារ សម្រាប់គម្រោងដែលបានបញ្ចប់ ត្រូវបានផ្ទេរទៅគណនីធនាគាររបស់អ្នកហើយ។ "
                "ថ្លៃសេវាវេទិកា {pct}% ត្រូវបានកាត់រួច មិនចាំបាច់បង់បន្ថែមទេ។"
            ),
            (
                "ការព្រមានពីនគរបាល៖ ជនខិលខូចបោកប្រាស់ឱ្យធ្វើការងារអនឡាញ ដូចជាចុចឡាយ ឬវាយតម្លៃផលិតផល រួចឱ្យដាក់ប្រាក់ "
                "ឬបង់ថ្លៃមុនពេលដកប្រាក់។ ការងារពិតមិនដែលឱ្យអ្នកបង់ប្រាក់ដើម្បីទទួលបានប្រាក់ឡើយ។"
            ),
        ],
    },
    "my": {
        "lure": [
            (
                "ဂုဏ်ယူပါတယ်! ယနေ့ task ၃၀ ထဲက ၂၅ ခု ပြီးသွားပါပြီ။ ကံထူးတဲ့ ပေါင်းစပ်အော်ဒါ ကျလာလို့ အရင်ဆုံး "
                "{amount} ကျပ် ငွေဖြည့်ပေးပါ၊ ပြီးရင် ကော်မရှင် {pct}% ရပါမယ်။"
            ),
            (
                "လူကြီးမင်းရဲ့ အကောင့်လက်ကျန်ငွေ အနုတ် (-{amount} ကျပ်) ဖြစ်နေပါတယ်။ task ဆက်လုပ်နိုင်ဖို့ "
                "ငွေပြန်ဖြည့်ပြီး လက်ကျန်ကို ရှင်းပေးပါ။"
            ),
            (
                "ကော်မရှင်ငွေ ထုတ်ယူဖို့အတွက် အခွန် {pct}% ဖြစ်တဲ့ {amount} ကျပ်ကို အရင်ပေးဆောင်ရပါမယ်။ ပေးပြီးတာနဲ့ ၅ "
                "မိနစ်အတွင်း ငွေဝင်ပါမယ်။"
            ),
            (
                "လုပ်ဆောင်ချက်မှားယွင်းမှုကြောင့် ခရက်ဒစ်ရမှတ် ၇၀ အထိ ကျသွားပါတယ်။ ငွေထုတ်ခွင့်ပြန်ဖွင့်ဖို့ "
                "ခရက်ဒစ်ရမှတ်ပြန်လည်ထူထောင်ခ {amount} ကျပ် ပေးဆောင်ပါ။"
            ),
            (
                "{amount} ကျပ် သွင်းရမယ့် အကောင့်နံပါတ်ကို Telegram ပေါ်က receptionist ဆီမှာ တောင်းပါနော်။ "
                "ငွေလွှဲပြီးရင် ပြေစာ ပို့ပေးပါ၊ VIP အဆင့် ဖွင့်ပေးပါမယ်။"
            ),
            (
                "နောက်ထပ် task ၄ ခုပဲ ကျန်ပါတော့တယ်၊ ပြီးရင် ငွေထုတ်လို့ရပါပြီ! နောက် task အတွက် {amount} ကျပ် "
                "သွင်းရပါမယ်၊ ပြီးရင် အရင်းပြန်ရပြီး အမြတ် {pct}% ပါ ရပါမယ်။"
            ),
            (
                "{amount} ကျပ် သွင်းရုံနဲ့ VIP 3 ကို အဆင့်မြှင့်နိုင်ပြီး အော်ဒါတစ်ခုချင်းစီရဲ့ ကော်မရှင် {pct}% အထိ "
                "တက်ပါမယ်။ mentor ဆရာက အတည်ပြုချက်ကို စောင့်နေပါတယ်။"
            ),
            (
                "ဘဏ်အချက်အလက် မှားနေလို့ ငွေထုတ်ယူမှု မအောင်မြင်ပါ။ အကောင့်ပိတ်ထားတာကို ပြန်ဖွင့်ဖို့ ဝန်ဆောင်ခ "
                "{amount} ကျပ် ပေးရပါမယ်၊ ဒီငွေကို အမြတ်နဲ့အတူ ပြန်အမ်းပေးပါမယ်။"
            ),
        ],
        "benign": [
            (
                "ယနေ့ {amount} ကျပ်နှင့်အထက် ဖုန်းငွေဖြည့်ပါက ဒေတာ {pct}% ပိုမိုရရှိမည်ဖြစ်ပြီး ၇ ရက် သုံးနိုင်ပါသည်။ "
                "App မှ သို့မဟုတ် *XXX# ဖြင့် ဖြည့်နိုင်ပါသည်။"
            ),
            (
                "Wallet သို့ ငွေသွင်းမှု အောင်မြင်ပါသည်။ {amount} ကျပ် ဝင်ရောက်ပြီး ဖြစ်ပါသည်။ ငွေလွှဲနံပါတ် XXXXXXXX။ "
                "ကျေးဇူးတင်ပါသည်။"
            ),
            (
                "သင်၏ အကောင့် XXXX1234 သို့ ABC ကုမ္ပဏီမှ {amount} ကျပ် ငွေလွှဲဝင်ရောက်ပါသည်။ လက်ကျန်ငွေကို ဘဏ် App "
                "တွင် စစ်ဆေးနိုင်ပါသည်။"
            ),
            (
                "HR ဌာနမှ အသိပေးချက် - မတ်လ အရောင်းကော်မရှင်ကို အသားတင်ရောင်းအား၏ {pct}% ဖြင့် တွက်ချက်ပြီး စုစုပေါင်း "
                "{amount} ကျပ်ကို ၃၀ ရက်နေ့ လစာနှင့်အတူ ပေးချေပါမည်။"
            ),
            (
                "ဂုဏ်ယူပါတယ်! သင်သည် ကျွန်ုပ်တို့ဆိုင်၏ VIP Gold အဆင့်သို့ ရောက်ရှိပါပြီ။ {pct}% လျှော့ဈေးနှင့် "
                "အခမဲ့ပို့ဆောင်မှု ရရှိမည်ဖြစ်ပြီး ငွေဖြည့်ရန် သို့မဟုတ် ကြေးပေးရန် မလိုပါ။"
            ),
            (
                "Rider စိန်ခေါ်မှု - ဒီအပတ်အတွင်း ခရီး ၂၀ ပြီးမြောက်ပါက ဆုကြေး {amount} ကျပ် ရရှိမည်ဖြစ်ပြီး "
                "တနင်္လာနေ့တွင် app ဝင်ငွေ wallet ထဲသို့ အလိုအလျောက် ဝင်ပါမည်။"
            ),
            (
                "ပြီးစီးသွားသော project အတွက် {amount} ကျပ်ကို သင့်ဘဏ်အကောင့်သို့ လွှဲပြောင်းပေးပြီးပါပြီ။ Platform "
                "ဝန်ဆောင်ခ {pct}% ကို နုတ်ယူပြီးဖြစ်၍ ထပ်မံပေးဆောင်ရန် မလိုပါ။"
            ),
            (
                "ရဲတပ်ဖွဲ့ သတိပေးချက် - Like နှိပ်ခြင်း၊ ပစ္စည်း review ရေးခြင်းစသည့် online task အလုပ်များဖြင့် "
                "ဆွဲဆောင်ပြီး ငွေဖြည့်ခိုင်းသော လိမ်လည်မှုများကို သတိပြုပါ။ တကယ့်အလုပ်က လစာရဖို့ ငွေအရင်ပေးခိုင်းလေ့ "
                "မရှိပါ။"
            ),
        ],
    },
    "ms": {
        "lure": [
            (
                "Tahniah, anda telah selesaikan 25 daripada 30 tugasan! Anda dapat pesanan gabungan bertuah, sila "
                "tambah nilai RM{amount} dahulu untuk diproses dan terima komisen {pct}%."
            ),
            (
                "Baki akaun anda kini negatif (-RM{amount}). Sila tambah nilai untuk menjelaskan baki sebelum boleh "
                "teruskan tugasan."
            ),
            (
                "Untuk mengeluarkan komisen, anda perlu bayar cukai {pct}% iaitu RM{amount} terlebih dahulu. Selepas "
                "bayaran, wang akan masuk ke akaun dalam 5 minit."
            ),
            (
                "Skor kredit akaun anda jatuh ke 70 kerana kesilapan operasi. Bayar yuran pemulihan skor kredit "
                "RM{amount} untuk membuka semula pengeluaran."
            ),
            (
                "Sila hubungi penyambut tetamu di Telegram untuk dapatkan nombor akaun deposit RM{amount} ya. Selepas "
                "transfer, hantar resit supaya tahap VIP anda diaktifkan."
            ),
            (
                "Tinggal 4 tugasan lagi untuk buka pengeluaran! Tugasan seterusnya perlu deposit RM{amount}, selepas "
                "siap modal dipulangkan berserta untung {pct}%."
            ),
            (
                "Naik taraf ke VIP 3 dengan deposit RM{amount} sahaja, komisen setiap pesanan naik ke {pct}%. Mentor "
                "sedang tunggu pengesahan anda."
            ),
            (
                "Pengeluaran gagal sebab maklumat bank salah. Untuk nyahbeku akaun, anda perlu bayar caj perkhidmatan "
                "RM{amount}, nanti dipulangkan bersama keuntungan."
            ),
        ],
        "benign": [
            (
                "Tambah nilai RM{amount} ke atas hari ini dan dapatkan bonus data {pct}%, sah 7 hari. Reload melalui "
                "app atau dail *XXX#."
            ),
            "Tambah nilai e-dompet berjaya: RM{amount} telah dikreditkan. No. Rujukan XXXXXXXX. Terima kasih.",
            (
                "Akaun XXXX1234 telah menerima pindahan RM{amount} daripada ABC Sdn Bhd. Semak baki dalam aplikasi "
                "bank anda."
            ),
            (
                "Makluman HR: Komisen jualan bulan Mac dikira {pct}% daripada jualan bersih, berjumlah RM{amount}, "
                "akan dibayar bersama gaji pada 25hb melalui akaun gaji."
            ),
            (
                "Tahniah! Anda kini ahli VIP Gold kedai kami. Nikmati diskaun {pct}% dan penghantaran percuma, tiada "
                "tambah nilai atau bayaran diperlukan."
            ),
            (
                "Cabaran rider: lengkapkan 20 trip minggu ini dan terima bonus RM{amount}, dikreditkan secara "
                "automatik ke dompet pendapatan pada hari Isnin."
            ),
            (
                "Bayaran RM{amount} untuk projek bebas yang telah siap sudah dihantar ke akaun bank anda. Caj platform "
                "{pct}% telah ditolak, tiada bayaran lain diperlukan."
            ),
            (
                "Amaran polis: Scammer tawarkan kerja online 'like' dan review produk, kemudian minta deposit 'pesanan "
                "gabungan' atau yuran pengeluaran. Kerja sebenar tak akan minta anda bayar dulu."
            ),
        ],
    },
}

# Illegal recruitment-fee lures for overseas work vs. legitimate overseas-employment texts.
FEE_AGENT = {
    "en": {
        "lure": [
            (
                "URGENT HIRING: factory workers for South Korea! No Korean language test needed, visa guaranteed 100%. "
                "Processing fee only USD {amount}, only 5 slots left."
            ),
            (
                "Japan caregiver jobs, high salary. Pay a deposit of ₱{amount} to reserve your slot, balance after "
                "visa. Transfer to my personal account, I will inbox the details."
            ),
            (
                "Poland and Romania work permits, warehouse and construction. Placement fee ₦{amount}. No need to go "
                "through the government office, we handle everything fast."
            ),
            "Canada farm jobs with LMIA! Pay Rs {amount} for processing and fly within 30 days. No IELTS required.",
            (
                "We send you to Dubai on a tourist visa, then the company converts it to a work visa there. Just pay "
                "KSh {amount} for ticket and documents."
            ),
            (
                "Croatia hotel jobs open, 100% visa approval. Send ₦{amount} today to lock your slot; after Friday the "
                "price goes up."
            ),
            (
                "Taiwan electronics factory, direct hire, no broker. Medical and training fee USD {amount}, to be paid "
                "into my personal mobile money account."
            ),
            (
                "Australia fruit picking, sponsorship guaranteed. Agency registration fee Rs {amount}, non-refundable. "
                "Don't ask the embassy, they will only delay your papers."
            ),
        ],
        "benign": [
            (
                "EPS notice: Applicants for work in Korea under the Employment Permit System must pass the EPS-TOPIK "
                "test and register through the labour ministry. There are no brokers in this programme."
            ),
            (
                "Technical Intern Training Program (Japan): applicants are processed only through licensed sending "
                "organisations, with language training and a written contract before departure."
            ),
            (
                "Licensed recruitment agency, Licence No. XXX-XXX-XXXX. Hiring caregivers for Canada. NO PLACEMENT FEE "
                "charged to workers. Verify our licence on the government website."
            ),
            (
                "WARNING: Illegal recruiters are promising jobs in Poland and Croatia with 'guaranteed visas' for "
                "₦{amount}. Check the list of licensed agencies and report them to the labour ministry."
            ),
            (
                "Embassy notice: a tourist visa does not allow you to work. Work visa applications need a signed "
                "employment contract and must go through the official visa centre. Visa fee: USD {amount}."
            ),
            (
                "Job abroad: Staff Nurse, Sunrise Care Hospital, Dubai. Salary AED {amount} per month plus housing, "
                "two-year contract, free visa and ticket, induction training provided."
            ),
            (
                "EPS-TOPIK preparation class: 8 weeks, mock tests every Saturday. Course fee Rs {amount}. We do not "
                "sell job slots; Korean jobs come only through the government EPS system."
            ),
            (
                "By law, a licensed agency may charge at most one month's salary as placement fee, and nothing at all "
                "where the destination country bans worker fees. Always ask for an official receipt."
            ),
        ],
    },
    "vi": {
        "lure": [
            (
                "Tuyển gấp lao động đi Hàn Quốc làm nhà máy, không cần thi tiếng Hàn, bao đậu visa 100%. Phí hồ sơ "
                "trọn gói {amount} USD, chỉ còn 5 suất cuối."
            ),
            (
                "Đơn hàng điều dưỡng Nhật Bản lương cao. Đặt cọc {amount}đ để giữ chỗ, phần còn lại đóng sau khi có "
                "visa. Chuyển khoản vào tài khoản cá nhân của chị là được."
            ),
            (
                "Xuất khẩu lao động Ba Lan, Romania: kho hàng, xây dựng. Phí trọn gói {amount} USD. Không cần qua Cục "
                "Quản lý lao động ngoài nước, bên em lo hết, bay nhanh."
            ),
            "Đi Canada diện nông nghiệp, không cần IELTS. Đóng trước {amount}đ phí xử lý hồ sơ, 30 ngày có visa.",
            (
                "Đi Dubai bằng visa du lịch, sang bên đó công ty chuyển đổi sang visa lao động. Chỉ cần đóng {amount}đ "
                "tiền vé và giấy tờ."
            ),
            (
                "Croatia tuyển phục vụ khách sạn, cam kết đỗ visa 100%. Chuyển {amount}đ hôm nay để giữ suất, sau thứ "
                "Sáu tăng giá."
            ),
            (
                "Đài Loan tuyển nhà máy điện tử, tuyển thẳng không qua môi giới. Phí khám sức khỏe và đào tạo {amount} "
                "USD chuyển vào tài khoản cá nhân của anh."
            ),
            (
                "Úc tuyển hái trái cây, bao bảo lãnh. Phí đăng ký {amount}đ, không hoàn lại. Đừng hỏi Đại sứ quán, họ "
                "làm chậm hồ sơ của em."
            ),
        ],
        "benign": [
            (
                "Chương trình EPS: người lao động muốn sang Hàn Quốc phải thi đạt kỳ thi tiếng Hàn EPS-TOPIK và đăng "
                "ký qua Trung tâm Lao động ngoài nước. Chương trình không qua môi giới."
            ),
            (
                "Chương trình thực tập sinh kỹ năng Nhật Bản chỉ thực hiện qua doanh nghiệp dịch vụ có giấy phép. Học "
                "viên được đào tạo tiếng Nhật và ký hợp đồng trước khi xuất cảnh."
            ),
            (
                "Công ty có Giấy phép dịch vụ đưa người lao động đi làm việc ở nước ngoài số XXX/GP. Tuyển lao động đi "
                "Đài Loan, tiền dịch vụ không vượt mức trần luật định, có biên lai."
            ),
            (
                "Cục Quản lý lao động ngoài nước cảnh báo: một số cá nhân trên mạng xã hội hứa 'bao visa' đi Ba Lan, "
                "Croatia và thu {amount} USD. Hãy tra cứu danh sách doanh nghiệp được cấp phép."
            ),
            (
                "Thông báo của Đại sứ quán: thị thực du lịch không cho phép làm việc. Hồ sơ thị thực lao động phải có "
                "hợp đồng lao động và nộp tại trung tâm thị thực chính thức. Lệ phí {amount}đ."
            ),
            (
                "Tuyển dụng: thợ hàn, Công ty Sunrise Heavy Industries, Nhật Bản (kỹ năng đặc định). Lương {amount} "
                "yên/tháng, hợp đồng 3 năm, đào tạo 4 tháng trước xuất cảnh."
            ),
            (
                "Lớp luyện thi EPS-TOPIK khai giảng ngày 15: 8 tuần, thi thử mỗi thứ Bảy. Học phí {amount}đ. Trung tâm "
                "không nhận 'chạy suất', việc làm chỉ qua hệ thống EPS của nhà nước."
            ),
            (
                "Theo quy định, tiền dịch vụ không được vượt mức trần; một số thị trường người lao động không phải "
                "trả. Hãy yêu cầu hợp đồng và biên lai khi nộp bất kỳ khoản nào."
            ),
        ],
    },
    "th": {
        "lure": [
            (
                "รับสมัครด่วน! งานโรงงานเกาหลี ไม่ต้องสอบภาษา วีซ่าผ่าน 100% ค่าดำเนินการ {amount} บาท เหลือเพียง 5 "
                "ที่สุดท้าย"
            ),
            (
                "งานดูแลผู้สูงอายุที่ญี่ปุ่น รายได้ดี มัดจำ {amount} บาทเพื่อจองที่ ส่วนที่เหลือจ่ายหลังได้วีซ่า "
                "โอนเข้าบัญชีส่วนตัวของพี่ได้เลย"
            ),
            (
                "งานโปแลนด์ โรมาเนีย คลังสินค้า ก่อสร้าง ค่าหัวคิว {amount} บาท ไม่ต้องผ่านกรมการจัดหางาน "
                "เราจัดการให้ทั้งหมด ไวกว่า"
            ),
            "งานฟาร์มแคนาดา ไม่ต้องใช้ IELTS จ่ายค่าทำเอกสาร {amount} บาท บินได้ภายใน 30 วัน",
            (
                "ไปดูไบด้วยวีซ่าท่องเที่ยวก่อน แล้วนายจ้างจะเปลี่ยนเป็นวีซ่าทำงานให้ที่โน่น จ่ายแค่ค่าตั๋วและเอกสาร "
                "{amount} บาท"
            ),
            "งานโรงแรมโครเอเชีย การันตีวีซ่า 100% โอน {amount} บาทวันนี้เพื่อล็อกที่นั่ง หลังวันศุกร์ปรับราคาขึ้น",
            (
                "ไต้หวันรับคนงานโรงงานอิเล็กทรอนิกส์ ไม่ผ่านนายหน้า ค่าตรวจสุขภาพและค่าอบรม {amount} บาท "
                "โอนเข้าบัญชีส่วนตัวผม"
            ),
            (
                "ออสเตรเลียรับคนเก็บผลไม้ การันตีสปอนเซอร์ ค่าสมัคร {amount} บาท ไม่คืนเงิน ไม่ต้องไปถามสถานทูต "
                "เดี๋ยวเอกสารล่าช้า"
            ),
        ],
        "benign": [
            (
                "กรมการจัดหางานรับสมัครคนหางานไปทำงานเกาหลีระบบ EPS ผู้สมัครต้องสอบภาษาเกาหลี EPS-TOPIK "
                "และสมัครผ่านกรมการจัดหางานเท่านั้น ไม่มีนายหน้า"
            ),
            (
                "โครงการฝึกงานด้านเทคนิคในญี่ปุ่น (TITP) ดำเนินการผ่านองค์กรส่งที่ได้รับอนุญาตเท่านั้น "
                "ผู้ฝึกต้องเรียนภาษาญี่ปุ่นและลงนามสัญญาก่อนเดินทาง"
            ),
            (
                "บริษัทจัดหางานได้รับอนุญาตเลขที่ XXXX/25XX รับสมัครแรงงานไปไต้หวัน "
                "เก็บค่าบริการไม่เกินอัตราที่กฎหมายกำหนด ออกใบเสร็จทุกครั้ง"
            ),
            (
                "กรมการจัดหางานเตือน ระวังสายนายหน้าเถื่อนอ้างส่งไปทำงานโปแลนด์ โครเอเชีย 'การันตีวีซ่า' เรียกเงิน "
                "{amount} บาท ตรวจสอบรายชื่อบริษัทที่ได้รับอนุญาตก่อนจ่ายเงิน"
            ),
            (
                "ประกาศสถานทูต: วีซ่าท่องเที่ยวไม่อนุญาตให้ทำงาน "
                "การขอวีซ่าทำงานต้องมีสัญญาจ้างและยื่นที่ศูนย์รับคำร้องวีซ่าอย่างเป็นทางการ ค่าธรรมเนียมวีซ่า {amount} "
                "บาท"
            ),
            (
                "รับสมัคร: ช่างเชื่อม บริษัท ซันไรส์ เฮฟวี่ อินดัสทรีส์ ประเทศญี่ปุ่น (วีซ่าทักษะเฉพาะ SSW) เงินเดือน "
                "{amount} เยน สัญญา 3 ปี อบรมก่อนเดินทาง 4 เดือน"
            ),
            (
                "คอร์สติวสอบ EPS-TOPIK 8 สัปดาห์ สอบจำลองทุกวันเสาร์ ค่าเรียน {amount} บาท สถาบันไม่รับฝากงาน "
                "งานเกาหลีได้ผ่านระบบ EPS ของรัฐเท่านั้น"
            ),
            (
                "คนหางานควรทำสัญญาจ้างก่อนเดินทาง จ่ายค่าบริการไม่เกินที่กฎหมายกำหนดและขอใบเสร็จทุกครั้ง "
                "หากถูกหลอกให้แจ้งสำนักงานจัดหางานจังหวัด"
            ),
        ],
    },
    "id": {
        "lure": [
            (
                "Lowongan cepat kerja pabrik di Korea! Tanpa tes bahasa, visa dijamin 100%. Biaya proses Rp{amount}, "
                "sisa 5 kuota lagi."
            ),
            (
                "Kerja caregiver Jepang gaji tinggi. DP Rp{amount} untuk kunci kuota, sisanya setelah visa keluar. "
                "Transfer ke rekening pribadi saya saja."
            ),
            (
                "Job Polandia dan Rumania, gudang dan konstruksi. Biaya penempatan Rp{amount}. Tidak perlu lewat BP2MI "
                "atau Disnaker, kami urus semua, lebih cepat."
            ),
            "Kerja ladang di Kanada, tanpa IELTS. Bayar biaya proses Rp{amount}, 30 hari langsung terbang.",
            (
                "Berangkat ke Dubai pakai visa turis dulu, nanti di sana majikan ubah ke visa kerja. Cukup bayar "
                "Rp{amount} untuk tiket dan dokumen."
            ),
            (
                "Lowongan hotel di Kroasia, visa pasti tembus 100%. Transfer Rp{amount} hari ini untuk amankan slot, "
                "lewat Jumat harga naik."
            ),
            (
                "Taiwan butuh operator pabrik elektronik, langsung tanpa calo. Biaya medical dan pelatihan Rp{amount} "
                "ditransfer ke rekening pribadi saya."
            ),
            (
                "Australia cari pemetik buah, sponsor dijamin. Biaya pendaftaran Rp{amount}, tidak bisa dikembalikan. "
                "Jangan tanya ke kedutaan, nanti berkas malah lama."
            ),
        ],
        "benign": [
            (
                "Program G to G Korea (EPS): calon PMI wajib lulus ujian EPS-TOPIK dan mendaftar melalui BP2MI. Tidak "
                "ada calo dan tidak ada jalur khusus berbayar."
            ),
            (
                "Program pemagangan teknis Jepang (TITP) hanya melalui lembaga pengirim berizin. Peserta ikut "
                "pelatihan bahasa Jepang dan menandatangani perjanjian kerja sebelum berangkat."
            ),
            (
                "P3MI resmi, SIP3MI No. XXX/XXXX. Membuka lowongan perawat lansia ke Taiwan. Pembebasan biaya "
                "penempatan sesuai peraturan BP2MI. Cek izin kami di situs resmi."
            ),
            (
                "BP2MI mengimbau masyarakat waspada terhadap perekrut ilegal yang menjanjikan kerja di Polandia dan "
                "Kroasia dengan 'visa dijamin' dan meminta Rp{amount}. Cek daftar P3MI resmi."
            ),
            (
                "Pengumuman Kedutaan: visa kunjungan tidak dapat digunakan untuk bekerja. Visa kerja harus disertai "
                "kontrak kerja dan diajukan melalui pusat aplikasi visa resmi. Biaya visa Rp{amount}."
            ),
            (
                "Lowongan: Welder, Sunrise Heavy Industries Jepang (visa Tokutei Ginou/SSW). Gaji ¥{amount} per bulan, "
                "kontrak 3 tahun, pelatihan 4 bulan sebelum berangkat."
            ),
            (
                "Kursus persiapan ujian EPS-TOPIK 8 minggu, try out setiap Sabtu. Biaya kursus Rp{amount}. Kami tidak "
                "menjual kuota kerja; penempatan ke Korea hanya lewat sistem EPS pemerintah."
            ),
            (
                "Calon PMI, pastikan Anda memiliki perjanjian kerja, terdaftar di sistem resmi, dan mengikuti "
                "orientasi pra-pemberangkatan. Bayar hanya biaya resmi dengan kuitansi."
            ),
        ],
    },
    "tl": {
        "lure": [
            (
                "HIRING ASAP! Factory worker sa South Korea, walang Korean language test, 100% visa guaranteed. "
                "Processing fee ₱{amount} lang, 5 slots na lang natitira!"
            ),
            (
                "Caregiver sa Japan, malaki ang sahod. Mag-reserve ng slot sa deposit na ₱{amount}, balance after "
                "visa. Sa personal account ko na lang i-transfer, PM for details."
            ),
            (
                "Poland at Romania, warehouse at construction. Placement fee ₱{amount}. Hindi na kailangan dumaan sa "
                "DMW, kami na bahala, mas mabilis."
            ),
            "Canada farm worker, walang IELTS! Bayad lang ₱{amount} processing at makakalipad ka within 30 days.",
            (
                "Punta ka muna Dubai as tourist, doon na i-convert ng employer sa working visa. ₱{amount} lang para sa "
                "ticket at documents."
            ),
            (
                "Croatia hotel staff, sure na 100% approved ang visa. Mag-send ng ₱{amount} ngayon para ma-lock ang "
                "slot mo, tataas na ang rate after Friday."
            ),
            (
                "Taiwan electronics factory, direct hire walang agency. Medical at training fee ₱{amount}, sa personal "
                "e-wallet ko na lang po ipadala."
            ),
            (
                "Australia fruit picker, guaranteed sponsor. Registration fee ₱{amount}, non-refundable. 'Wag nang "
                "magtanong sa embassy, babagal lang papers mo."
            ),
        ],
        "benign": [
            (
                "Abiso ng DMW: Ang gustong magtrabaho sa Korea sa ilalim ng EPS ay kailangang pumasa sa EPS-TOPIK at "
                "mag-apply sa DMW lamang. Walang agency o fixer sa G2G program."
            ),
            (
                "Technical Intern Training Program (Japan): dumadaan lamang sa licensed na agency at sending "
                "organization. May Japanese language training at pirmadong kontrata bago umalis."
            ),
            (
                "DMW Licensed Agency, License No. DMW-XXX-LB-XXXXXX. Hiring caregivers for Canada. NO PLACEMENT FEE. "
                "I-verify ang aming lisensya sa DMW website bago mag-apply."
            ),
            (
                "BABALA: May mga illegal recruiter na nag-aalok ng trabaho sa Poland at Croatia na may 'guaranteed "
                "visa' kapalit ng ₱{amount}. Tingnan ang listahan ng licensed agencies at i-report sa DMW."
            ),
            (
                "Paalala ng Embahada: Hindi pwedeng gamitin sa pagtatrabaho ang tourist visa. Kailangan ng employment "
                "contract para sa work visa at isinusumite ito sa opisyal na visa center. Visa fee: ₱{amount}."
            ),
            (
                "Job opening: Staff Nurse, Sunrise Care Hospital, Dubai. Sahod AED {amount} kada buwan plus housing, "
                "2-year contract, libreng visa at ticket. Apply through a DMW-licensed agency."
            ),
            (
                "EPS-TOPIK review class: 8 weeks, may mock exam tuwing Sabado. Tuition ₱{amount}. Hindi kami "
                "nagbebenta ng job slot; sa EPS ng gobyerno lang ang trabaho sa Korea."
            ),
            (
                "Ayon sa batas, ang placement fee ay hindi lalampas sa isang buwang sahod, at bawal maningil sa "
                "domestic workers at sa mga bansang may no-fee policy. Humingi palagi ng opisyal na resibo."
            ),
        ],
    },
    "zh": {
        "lure": [
            "急招韩国工厂普工！免语言考试，签证100%包过，手续费仅需{amount}元，名额只剩5个。",
            "日本看護工作，高薪。先付訂金{amount}元保留名額，簽證下來再付尾款。直接轉到我個人帳戶就可以。",
            "波兰、罗马尼亚劳务：仓库、建筑工。中介费{amount}元，不用走政府部门，我们全包，出国更快。",
            "加拿大農場工，不需雅思！繳交{amount}元辦理費，30天內出境。",
            "先用旅游签去迪拜，到了那边老板帮你转工作签。只需付{amount}元机票和材料费。",
            "克羅埃西亞飯店缺人，保證簽證100%過件。今天匯{amount}元鎖定名額，週五後漲價。",
            "台湾电子厂直聘，不经中介。体检费加培训费{amount}元，转到我个人账户。",
            "澳洲採果工，保證擔保。報名費RM{amount}，恕不退還。不要去問大使館，會拖慢你的文件。",
        ],
        "benign": [
            "赴日技能实习生项目须通过具有对外劳务合作经营资格的企业办理，出国前参加日语培训并签订劳动合同，谨防个人中介。",
            "勞動部直接聘僱服務中心提醒：雇主可自行申請聘僱移工，不需透過仲介，移工無須支付仲介費。",
            "本公司持有对外劳务合作经营资格证书（编号XXXX），招聘赴新加坡建筑工人，服务费按规定标准收取并开具正式发票，不收押金。",
            "警方提醒：網路上有人假冒仲介，以「保證簽證」招攬赴波蘭、克羅埃西亞工作，收取{amount}元。請先查詢合法仲介名單再付款。",
            "大使馆通知：旅游签证不得在当地工作。申请工作签证须提供劳动合同，并到官方签证中心递交，签证费{amount}元。",
            "徵才：焊接技術員，日商旭日重工（特定技能簽證），月薪{amount}日圓，合約三年，出發前提供四個月培訓。",
            "韓語EPS-TOPIK考前衝刺班：8週課程，每週六模擬考，學費RM{amount}。本中心不販售工作名額，赴韓就業僅能透過政府EPS系統。",
            "合法仲介收費須依規定，不得超收；簽約前請確認書面契約、薪資與工作內容，並索取正式收據。",
        ],
    },
    "km": {
        "lure": [
            (
                "ជ្រើសរើសបន្ទាន់! ការងាររោងចក្រនៅកូរ៉េ មិនចាំបាច់ប្រឡងភាសា ធានាទិដ្ឋាការ ១០០%។ "
                "ថ្លៃដំណើរការឯកសារត្រឹមតែ {amount} ដុល្លារ នៅសល់តែ ៥ កន្លែងទៀតប៉ុណ្ណោះ។"
            ),
            (
                "ការងារថែទាំមនុស្សចាស់នៅជប៉ុន ប្រាក់ខែខ្ពស់។ បង់ប្រាក់កក់ {amount} ដុល្លារ ដើម្បីរក្សាកន្លែង "
                "នៅសល់បង់ក្រោយបានទិដ្ឋាការ។ ផ្ទេរចូលគណនីផ្ទាល់ខ្លួនរបស់បងបានហើយ។"
            ),
            (
                "ការងារនៅប៉ូឡូញ និងរូម៉ានី ឃ្លាំងទំនិញ និងសំណង់។ ថ្លៃបញ្ជូន {amount} ដុល្លារ។ "
                "មិនចាំបាច់ឆ្លងកាត់ក្រសួងការងារទេ យើងរៀបចំឱ្យទាំងអស់ លឿនជាង។"
            ),
            (
                "ការងារកសិដ្ឋាននៅកាណាដា មិនត្រូវការ IELTS។ បង់ថ្លៃដំណើរការ {amount} ដុល្លារ ហើយហោះហើរក្នុងរយៈពេល ៣០ "
                "ថ្ងៃ។"
            ),
            (
                "ទៅឌូបៃដោយទិដ្ឋាការទេសចរណ៍សិន ពេលទៅដល់ ថៅកែនឹងប្តូរជាទិដ្ឋាការការងារឱ្យ។ គ្រាន់តែបង់ {amount} ដុល្លារ "
                "សម្រាប់សំបុត្រយន្តហោះ និងឯកសារ។"
            ),
            (
                "ការងារសណ្ឋាគារនៅក្រូអាស៊ី ធានាទិដ្ឋាការ ១០០%។ ផ្ទេរ {amount} ដុល្លារ ថ្ងៃនេះដើម្បីរក្សាកន្លែង "
                "ក្រោយថ្ងៃសុក្រឡើងថ្លៃ។"
            ),
            (
                "រោងចក្រអេឡិចត្រូនិកនៅតៃវ៉ាន់ ជ្រើសរើសផ្ទាល់ គ្មានឈ្មួញកណ្តាល។ ថ្លៃពិនិត្យសុខភាព និងបណ្តុះបណ្តាល "
                "{amount} ដុល្លារ ផ្ទេរចូលគណនីផ្ទាល់ខ្លួនរបស់ខ្ញុំ។"
            ),
            (
                "ការងារបេះផ្លែឈើនៅអូស្ត្រាលី ធានាអ្នកឧបត្ថម្ភ។ ថ្លៃចុះឈ្មោះ {amount} ដុល្លារ មិនសងវិញ។ "
                "កុំទៅសួរស្ថានទូត ព្រោះនឹងធ្វើឱ្យឯកសាររបស់អ្នកយឺត។"
            ),
        ],
        "benign": [
            (
                "សេចក្តីជូនដំណឹង EPS៖ អ្នកដែលចង់ទៅធ្វើការនៅកូរ៉េ ត្រូវប្រឡងជាប់ EPS-TOPIK "
                "និងចុះឈ្មោះតាមរយៈក្រសួងការងារ និងបណ្តុះបណ្តាលវិជ្ជាជីវៈតែប៉ុណ្ណោះ។ គ្មានឈ្មួញកណ្តាលឡើយ។"
            ),
            (
                "កម្មវិធីកម្មសិក្សាបច្ចេកទេសនៅជប៉ុន (TITP) ត្រូវឆ្លងកាត់ក្រុមហ៊ុនបញ្ជូនដែលមានអាជ្ញាប័ណ្ណប៉ុណ្ណោះ។ "
                "សិក្ខាកាមត្រូវរៀនភាសាជប៉ុន និងចុះកិច្ចសន្យាមុនចេញដំណើរ។"
            ),
            (
                "ក្រុមហ៊ុនជ្រើសរើសពលករមានអាជ្ញាប័ណ្ណលេខ XXX ពីក្រសួងការងារ។ ជ្រើសរើសពលករទៅម៉ាឡេស៊ី និងជប៉ុន "
                "ដោយគិតថ្លៃសេវាតាមច្បាប់កំណត់ និងចេញបង្កាន់ដៃគ្រប់ពេល។"
            ),
            (
                "ក្រសួងការងារព្រមាន៖ សូមប្រុងប្រយ័ត្នចំពោះឈ្មួញខុសច្បាប់ដែលសន្យាបញ្ជូនទៅធ្វើការនៅប៉ូឡូញ និងក្រូអាស៊ី "
                "ដោយ 'ធានាទិដ្ឋាការ' និងទារប្រាក់ {amount} ដុល្លារ។"
            ),
            (
                "សេចក្តីជូនដំណឹងរបស់ស្ថានទូត៖ ទិដ្ឋាការទេសចរណ៍មិនអនុញ្ញាតឱ្យធ្វើការទេ។ "
                "ទិដ្ឋាការការងារត្រូវមានកិច្ចសន្យាការងារ និងដាក់ពាក្យនៅមជ្ឈមណ្ឌលទិដ្ឋាការផ្លូវការ។ ថ្លៃទិដ្ឋាការ "
                "{amount} ដុល្លារ។"
            ),
            (
                "ជ្រើសរើស៖ ជាងផ្សារដែក ក្រុមហ៊ុន Sunrise Heavy Industries ប្រទេសជប៉ុន (ទិដ្ឋាការ SSW)។ ប្រាក់ខែ "
                "{amount} យ៉េន កិច្ចសន្យា ៣ ឆ្នាំ បណ្តុះបណ្តាល ៤ ខែមុនចេញដំណើរ។"
            ),
            (
                "វគ្គត្រៀមប្រឡង EPS-TOPIK រយៈពេល ៨ សប្តាហ៍ មានប្រឡងសាកល្បងរៀងរាល់ថ្ងៃសៅរ៍។ ថ្លៃសិក្សា {amount} "
                "ដុល្លារ។ សាលាយើងមិនលក់កន្លែងការងារទេ ការងារនៅកូរ៉េមានតែតាមប្រព័ន្ធ EPS ប៉ុណ្ណោះ។"
            ),
            (
                "មុនចេញទៅធ្វើការនៅបរទេស សូមប្រាកដថាអ្នកមានកិច្ចសន្យាការងារ លិខិតឆ្លងដែន និងទិដ្ឋាការការងារត្រឹមត្រូវ "
                "ហើយបង់តែថ្លៃផ្លូវការដែលមានបង្កាន់ដៃ។"
            ),
        ],
    },
    "my": {
        "lure": [
            (
                "အမြန်ခေါ်နေပါပြီ! ကိုရီးယား စက်ရုံအလုပ်၊ ဘာသာစကားစာမေးပွဲ ဖြေစရာမလို၊ ဗီဇာ ၁၀၀% အာမခံ။ ဝန်ဆောင်ခ "
                "{amount} ကျပ်သာ၊ နေရာ ၅ နေရာပဲ ကျန်ပါတော့တယ်။"
            ),
            (
                "ဂျပန် သက်ကြီးစောင့်ရှောက်ရေး အလုပ်၊ လစာကောင်း။ နေရာဦးဖို့ စရန်ငွေ {amount} ကျပ် အရင်ပေးပါ၊ ကျန်ငွေ "
                "ဗီဇာရမှ ပေးပါ။ အစ်မရဲ့ ကိုယ်ပိုင်အကောင့်ထဲ တိုက်ရိုက်လွှဲလို့ရပါတယ်။"
            ),
            (
                "ပိုလန်၊ ရိုမေးနီးယား ဂိုဒေါင်နှင့် ဆောက်လုပ်ရေးအလုပ်။ ပွဲခ {amount} ကျပ်။ အလုပ်သမားဝန်ကြီးဌာနကို "
                "ဖြတ်စရာမလိုဘူး၊ ကျွန်တော်တို့ အကုန်စီစဉ်ပေးမယ်၊ ပိုမြန်တယ်။"
            ),
            "ကနေဒါ စိုက်ခင်းအလုပ်၊ IELTS မလို! လုပ်ငန်းစဉ်ကြေး {amount} ကျပ် ပေးရုံနဲ့ ရက် ၃၀ အတွင်း ထွက်ရပါမယ်။",
            (
                "ဒူဘိုင်းကို ခရီးသွားဗီဇာနဲ့ အရင်သွား၊ ရောက်မှ အလုပ်ရှင်က အလုပ်ဗီဇာ ပြောင်းပေးမယ်။ လေယာဉ်လက်မှတ်နဲ့ "
                "စာရွက်စာတမ်းခ {amount} ကျပ်ပဲ ပေးရမယ်။"
            ),
            (
                "ခရိုအေးရှား ဟိုတယ်အလုပ်၊ ဗီဇာ ၁၀၀% ကျမယ်။ နေရာသေချာဖို့ ဒီနေ့ {amount} ကျပ် လွှဲပါ၊ "
                "သောကြာနေ့နောက်ပိုင်း ဈေးတက်မယ်။"
            ),
            (
                "ထိုင်ဝမ် အီလက်ထရောနစ်စက်ရုံ၊ ပွဲစားမပါ တိုက်ရိုက်ခေါ်တာ။ ဆေးစစ်ခနဲ့ သင်တန်းကြေး {amount} ကျပ်ကို "
                "ကျွန်တော့် ကိုယ်ပိုင် mobile wallet ထဲ လွှဲပေးပါ။"
            ),
            (
                "ဩစတြေးလျ သစ်သီးခူးအလုပ်၊ sponsor အာမခံ။ စာရင်းသွင်းကြေး {amount} ကျပ်၊ ပြန်မအမ်းပါ။ သံရုံးကို "
                "သွားမမေးနဲ့၊ စာရွက်စာတမ်းတွေ ကြာသွားမယ်။"
            ),
        ],
        "benign": [
            (
                "EPS အစီအစဉ် အသိပေးချက် - ကိုရီးယားသို့ အလုပ်သွားလိုသူများသည် EPS-TOPIK စာမေးပွဲ အောင်မြင်ရမည်ဖြစ်ပြီး "
                "အလုပ်သမားဝန်ကြီးဌာနမှတစ်ဆင့်သာ လျှောက်ထားရပါမည်။ ပွဲစား မရှိပါ။"
            ),
            (
                "ဂျပန်နိုင်ငံ နည်းပညာအလုပ်သင် အစီအစဉ် (TITP) ကို လိုင်စင်ရ အေဂျင်စီများမှတစ်ဆင့်သာ ဆောင်ရွက်ပါသည်။ "
                "မထွက်ခွာမီ ဂျပန်ဘာသာ သင်တန်းတက်ပြီး အလုပ်စာချုပ် ချုပ်ဆိုရပါမည်။"
            ),
            (
                "အလုပ်သမားဝန်ကြီးဌာန လိုင်စင်အမှတ် XXX ရှိ ပြည်ပအလုပ်အကိုင်အေဂျင်စီ။ မလေးရှားနှင့် ဂျပန်သို့ "
                "အလုပ်သမားခေါ်ယူပါသည်။ ဝန်ဆောင်ခကို သတ်မှတ်နှုန်းအတိုင်းသာ ကောက်ခံပြီး ပြေစာ ထုတ်ပေးပါသည်။"
            ),
            (
                "သတိပေးချက် - ပိုလန်၊ ခရိုအေးရှား အလုပ်များကို 'ဗီဇာအာမခံ' ဟု ကြော်ငြာပြီး {amount} ကျပ် တောင်းခံနေသော "
                "တရားမဝင် ပွဲစားများကို သတိပြုပါ။ လိုင်စင်ရ အေဂျင်စီစာရင်းကို စစ်ဆေးပါ။"
            ),
            (
                "သံရုံး အသိပေးချက် - ခရီးသွားဗီဇာဖြင့် အလုပ်လုပ်ခွင့် မရှိပါ။ အလုပ်ဗီဇာ လျှောက်ရာတွင် အလုပ်စာချုပ် "
                "ပါရှိရမည်ဖြစ်ပြီး တရားဝင် ဗီဇာစင်တာတွင် တင်ပြရပါမည်။ ဗီဇာကြေး {amount} ကျပ်။"
            ),
            (
                "အလုပ်ခေါ်စာ - ဂဟေဆော်သူ၊ Sunrise Heavy Industries ဂျပန် (SSW ဗီဇာ)။ လစာ {amount} ယန်း၊ ၃ နှစ် "
                "စာချုပ်၊ မထွက်ခွာမီ ၄ လ သင်တန်းပေးပါသည်။"
            ),
            (
                "EPS-TOPIK စာမေးပွဲ ပြင်ဆင်ရေးသင်တန်း ၈ ပတ်၊ စနေနေ့တိုင်း စမ်းသပ်စာမေးပွဲ ရှိပါသည်။ သင်တန်းကြေး "
                "{amount} ကျပ်။ ကျွန်ုပ်တို့ အလုပ်နေရာ မရောင်းပါ၊ ကိုရီးယားအလုပ်ကို အစိုးရ EPS စနစ်မှတစ်ဆင့်သာ "
                "ရနိုင်ပါသည်။"
            ),
            (
                "ပြည်ပသို့ အလုပ်သွားမည့်သူများ - အလုပ်စာချုပ်၊ ပြည်ပအလုပ်သမား သက်သေခံကတ်နှင့် တရားဝင် ဗီဇာ ရှိမရှိ "
                "စစ်ဆေးပြီး တရားဝင် ကြေးများကိုသာ ပြေစာဖြင့် ပေးဆောင်ပါ။"
            ),
        ],
    },
    "ms": {
        "lure": [
            (
                "Kerja kilang di Korea, tiada ujian bahasa, visa dijamin 100%. Yuran proses RM{amount} sahaja, tinggal "
                "5 slot!"
            ),
            (
                "Kerja penjaga warga emas di Jepun, gaji lumayan. Bayar deposit RM{amount} untuk simpan slot, baki "
                "selepas visa lulus. Transfer terus ke akaun peribadi saya."
            ),
            (
                "Kerja di Poland dan Romania, gudang dan binaan. Yuran penempatan RM{amount}. Tak perlu melalui "
                "kerajaan, kami uruskan semua, lebih cepat."
            ),
            "Kerja ladang di Kanada, tanpa IELTS! Bayar RM{amount} yuran proses dan terbang dalam 30 hari.",
            (
                "Pergi Dubai guna visa pelancong dulu, sampai sana majikan tukar kepada visa kerja. Bayar RM{amount} "
                "sahaja untuk tiket dan dokumen."
            ),
            (
                "Kerja hotel di Croatia, kelulusan visa 100%. Transfer RM{amount} hari ini untuk kunci slot, lepas "
                "Jumaat harga naik."
            ),
            (
                "Kilang elektronik Taiwan, ambil terus tanpa ejen. Yuran pemeriksaan kesihatan dan latihan RM{amount} "
                "masuk ke akaun peribadi saya."
            ),
            (
                "Kerja petik buah di Australia, sponsor dijamin. Yuran pendaftaran RM{amount}, tidak dikembalikan. "
                "Jangan tanya kedutaan, nanti dokumen lambat."
            ),
        ],
        "benign": [
            (
                "Program EPS Korea: pekerja dari negara peserta mesti lulus EPS-TOPIK dan memohon melalui kementerian "
                "buruh negara masing-masing. Berhati-hati dengan 'ejen' yang menjual slot."
            ),
            (
                "Agensi pekerjaan swasta berlesen, No. Lesen XXXX. Mengambil jururawat untuk hospital di Arab Saudi. "
                "Tiada yuran penempatan dikenakan kepada calon. Semak lesen kami secara rasmi."
            ),
            (
                "Amaran: Sindiket menawarkan kerja di Poland dan Croatia dengan 'visa dijamin' dan meminta RM{amount}. "
                "Semak senarai agensi pekerjaan swasta berlesen sebelum membuat bayaran."
            ),
            (
                "Notis Kedutaan: Visa pelancong tidak membenarkan anda bekerja. Permohonan visa kerja memerlukan "
                "kontrak pekerjaan dan dihantar melalui pusat visa rasmi. Fi visa RM{amount}."
            ),
            (
                "Jawatan kosong: Juruteknik kimpalan, Sunrise Heavy Industries, Jepun (visa Specified Skilled Worker). "
                "Gaji ¥{amount} sebulan, kontrak 3 tahun, latihan 4 bulan sebelum berlepas."
            ),
            (
                "Kelas persediaan ujian EPS-TOPIK 8 minggu, ujian percubaan setiap Sabtu. Yuran kursus RM{amount}. "
                "Kami tidak menjual slot kerja; kerja di Korea hanya melalui sistem EPS kerajaan."
            ),
            (
                "Program pelatih teknikal Jepun (TITP) dijalankan melalui organisasi penghantar berlesen sahaja, "
                "dengan latihan bahasa dan kontrak bertulis sebelum berlepas."
            ),
            (
                "Mengikut undang-undang, agensi hanya boleh mengenakan yuran yang dibenarkan dan mesti mengeluarkan "
                "resit rasmi. Pastikan anda menandatangani kontrak sebelum berlepas."
            ),
        ],
    },
}
