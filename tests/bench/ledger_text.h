// Text that reads like a station's ledger, shared by the benchmarks that search it.
#pragma once
#include <random>
#include <string>
#include <vector>

namespace liaison::bench {

// Text that looks like a station ledger: common characters, some rare ones.
struct TextGen {
    std::mt19937 rng{7};
    TextGen() {
        // A ledger's vocabulary is large: add 600 two-character words made of common characters,
        // so a search hits a realistic share of visits rather than most of them.
        const std::string common =
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方"
            "后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开"
            "它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此"
            "变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老"
            "头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研";
        std::vector<std::string> chars;
        for (size_t i = 0; i < common.size(); i += 3) chars.push_back(common.substr(i, 3));
        for (int i = 0; i < 600; ++i) extra.push_back(chars[rng() % chars.size()] + chars[rng() % chars.size()]);
    }
    std::vector<std::string> extra;
    const std::vector<std::string> words = {
        "路灯", "不亮", "村口", "道路", "维修", "学校", "门口", "交通", "拥堵", "医保",     "报销",     "养老",
        "补贴", "垃圾", "清运", "噪音", "扰民", "停车", "困难", "就业", "培训", "老旧小区", "加装电梯", "排水",
        "积水", "绿化", "环境", "整治", "安全", "隐患", "农田", "灌溉", "补偿", "拆迁",     "物业"};
    const std::vector<std::string> names = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
    std::string phrase(int n) {
        std::string s;
        for (int i = 0; i < n; ++i)
            s += (rng() % 8 == 0 ? words[rng() % words.size()] : extra[rng() % extra.size()]) +
                 (rng() % 5 == 0 ? "，" : "");
        return s;
    }
    std::string name() { return names[rng() % names.size()] + names[rng() % names.size()] + "明"; }
};

}  // namespace liaison::bench
