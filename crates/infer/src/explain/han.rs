//! Traditional Chinese read as Simplified, for the indicator catalogue: its Chinese patterns are written in
//! Simplified characters (the pool's Chinese is mainland Telegram chat), while task scams and job lures aimed at
//! Taiwan, Hong Kong, Macau and many overseas communities are written in Traditional ones ("做任務", "墊付", "儲值").
//! [`fold`] maps each Traditional character of the job-, pay- and scam-related vocabulary below to its Simplified
//! form. Every character on both sides is three bytes in UTF-8, so a match in the folded text has the same byte
//! offsets in the text as written: the evidence quotes what the user wrote.

use std::borrow::Cow;
use std::sync::OnceLock;

/// Traditional characters and, at the same position in [`SIMPLIFIED`], their Simplified forms: the vocabulary of
/// job advertisements, pay, fees, travel, documents, chat apps and task scams (one to one; characters whose
/// Simplified form depends on the word, such as 髮/發 → 发 against 乾/幹 → 干, only where the job vocabulary
/// leaves no doubt).
const TRADITIONAL: &str = "務傭單墊費機護資簽證勞點讚贊關賺輕鬆經驗飛緬詐騙體導師領錢額儲員質帶報線網聯繫係專對為爲會個們時間結現實級紅險遠貸還買賣產廠場號門車東區國際華語說讓請動條頭歲選過進運邊達應職將發預訂銀帳賬戶優學貼補飯樂處辦園殺豬盤業績獎勵傳銷電話視頻擊訊簡歷輸贏萬億無須與舉協議約薦於參準確認識觀館飲檢測評價論讀寫紙給兩僅衛隊陸灣臺當嗎這麼沒從來後裡裏開啟總數據歡戲遊娛幣鈔匯轉損虧賠償擔醫療藥顧問題聞僱顯齡氣態寬環適罰違債幫輔練習贈碼鏈連掃長張換劃創獲聽類義絡歸屬陳鐘廳賓櫃戰營籌續貨輛駕駛執鄉鎮縣團層擁擠狀況鎖搶項書譽顏";
/// The Simplified forms of [`TRADITIONAL`], character by character.
const SIMPLIFIED: &str = "务佣单垫费机护资签证劳点赞赞关赚轻松经验飞缅诈骗体导师领钱额储员质带报线网联系系专对为为会个们时间结现实级红险远贷还买卖产厂场号门车东区国际华语说让请动条头岁选过进运边达应职将发预订银账账户优学贴补饭乐处办园杀猪盘业绩奖励传销电话视频击讯简历输赢万亿无须与举协议约荐于参准确认识观馆饮检测评价论读写纸给两仅卫队陆湾台当吗这么没从来后里里开启总数据欢戏游娱币钞汇转损亏赔偿担医疗药顾问题闻雇显龄气态宽环适罚违债帮辅练习赠码链连扫长张换划创获听类义络归属陈钟厅宾柜战营筹续货辆驾驶执乡镇县团层拥挤状况锁抢项书誉颜";

/// Each Traditional character of [`TRADITIONAL`] with its Simplified form, sorted for binary search (the tests check
/// that no character is listed twice, so each has one form).
fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut pairs: Vec<(char, char)> = TRADITIONAL.chars().zip(SIMPLIFIED.chars()).collect();
        pairs.sort_by_key(|&(t, _)| t);
        pairs
    })
}

/// `text` with every Traditional character of the table replaced by its Simplified form, byte offsets unchanged;
/// borrowed when there is none (nearly every text).
pub(crate) fn fold(text: &str) -> Cow<'_, str> {
    let table = table();
    // Every character of the table is a CJK ideograph (U+4E00 and above): anything below is looked up in no table.
    let simplified = |c: char| {
        (c >= '\u{4e00}').then(|| table.binary_search_by_key(&c, |&(t, _)| t).ok()).flatten().map(|i| table[i].1)
    };
    if !text.chars().any(|c| simplified(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| simplified(c).unwrap_or(c)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_two_alphabets_pair_up_character_by_character_in_three_bytes_each() {
        let traditional: Vec<char> = TRADITIONAL.chars().collect();
        let simplified: Vec<char> = SIMPLIFIED.chars().collect();
        assert_eq!(traditional.len(), simplified.len());
        let mut seen = HashSet::new();
        for (&t, &s) in traditional.iter().zip(&simplified) {
            assert_eq!((t.len_utf8(), s.len_utf8()), (3, 3), "{t} → {s}");
            assert!(t >= '\u{4e00}', "{t} is below the range `fold` looks up");
            assert_ne!(t, s, "{t} is the same in both");
            assert!(seen.insert(t), "{t} is listed twice");
        }
    }

    #[test]
    fn folding_keeps_byte_offsets_and_leaves_other_text_alone() {
        let written = "做任務賺佣金，先儲值 NT$3,000，聯繫LINE";
        let folded = fold(written);
        assert_eq!(folded, "做任务赚佣金，先储值 NT$3,000，联系LINE");
        assert_eq!(folded.len(), written.len());
        for (a, b) in written.char_indices().zip(folded.char_indices()) {
            assert_eq!(a.0, b.0);
        }
        assert!(matches!(fold("招聘客服，包吃包住 free flight"), Cow::Borrowed(_)));
    }
}
