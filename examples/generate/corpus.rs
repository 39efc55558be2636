//! Deterministic synthetic archives of the fictional city of Hải Vân, for benchmarks and tests.
//!
//! The same seed and record count always give byte-identical files, whatever the number of
//! threads: every record draws from its own random stream, derived from the seed and its index.

use jiff::ToSpan;
use jiff::civil::Date;
use rayon::prelude::*;
use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The first and last year of records: twelve years.
pub const FIRST_YEAR: i16 = 2015;
pub const LAST_YEAR: i16 = 2026;
/// Records per list page, written into `site.toml`.
pub const PAGINATE: usize = 20;

/// The build's fixed "today", so that a generated site builds the same on every day.
pub fn today() -> Date {
    Date::constant(2026, 11, 28)
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub records: usize,
    pub seed: u64,
}

/// What was generated, for tests and reports.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub records: usize,
    pub files: usize,
    pub bytes: u64,
    /// Records per status: answered, pending, forwarded, declined.
    pub by_status: [usize; 4],
    /// Records per agency, in the order of [`AGENCIES`].
    pub by_agency: Vec<usize>,
    /// Records per topic, in the order of [`TOPICS`].
    pub by_topic: Vec<usize>,
    /// Records per session, in the order of [`sessions`].
    pub by_session: Vec<usize>,
    /// Records per year, from [`FIRST_YEAR`].
    pub by_year: Vec<usize>,
}

// ---------------------------------------------------------------------------------------------
// Random numbers: splitmix64, one independent stream per record.

#[derive(Debug, Clone, Copy)]
pub struct Rng {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// Stream `stream` of `seed`; streams are scrambled so that they do not overlap.
    pub fn new(seed: u64, stream: u64) -> Rng {
        Rng {
            state: mix(seed ^ mix(stream.wrapping_add(GOLDEN))),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix(self.state)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[usize]) -> usize {
        let total: usize = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// Registries.

/// An agency: id, name, short name, parent id, the title of its head.
pub struct AgencyDef {
    pub id: &'static str,
    pub name: &'static str,
    pub short: &'static str,
    pub parent: Option<&'static str>,
    pub head: &'static str,
}

const fn ag(
    id: &'static str,
    name: &'static str,
    short: &'static str,
    parent: Option<&'static str>,
    head: &'static str,
) -> AgencyDef {
    AgencyDef {
        id,
        name,
        short,
        parent,
        head,
    }
}

#[rustfmt::skip]
pub const AGENCIES: [AgencyDef; 40] = [
    ag("ubnd-thanh-pho", "Ủy ban nhân dân thành phố Hải Vân", "UBND thành phố", None, "Chủ tịch"),
    ag("van-phong-ubnd", "Văn phòng Ủy ban nhân dân thành phố Hải Vân", "Văn phòng UBND thành phố", Some("ubnd-thanh-pho"), "Chánh Văn phòng"),
    ag("trung-tam-phuc-vu-hanh-chinh-cong", "Trung tâm Phục vụ hành chính công thành phố Hải Vân", "Trung tâm Phục vụ hành chính công", Some("van-phong-ubnd"), "Giám đốc"),
    ag("so-xay-dung", "Sở Xây dựng thành phố Hải Vân", "Sở Xây dựng", None, "Giám đốc"),
    ag("thanh-tra-xay-dung", "Thanh tra Sở Xây dựng thành phố Hải Vân", "Thanh tra Sở Xây dựng", Some("so-xay-dung"), "Chánh Thanh tra"),
    ag("so-tai-nguyen-moi-truong", "Sở Tài nguyên và Môi trường thành phố Hải Vân", "Sở Tài nguyên và Môi trường", None, "Giám đốc"),
    ag("van-phong-dang-ky-dat-dai", "Văn phòng Đăng ký đất đai thành phố Hải Vân", "Văn phòng Đăng ký đất đai", Some("so-tai-nguyen-moi-truong"), "Giám đốc"),
    ag("chi-cuc-bao-ve-moi-truong", "Chi cục Bảo vệ môi trường thành phố Hải Vân", "Chi cục Bảo vệ môi trường", Some("so-tai-nguyen-moi-truong"), "Chi cục trưởng"),
    ag("so-giao-thong-van-tai", "Sở Giao thông vận tải thành phố Hải Vân", "Sở Giao thông vận tải", None, "Giám đốc"),
    ag("so-giao-duc-dao-tao", "Sở Giáo dục và Đào tạo thành phố Hải Vân", "Sở Giáo dục và Đào tạo", None, "Giám đốc"),
    ag("so-y-te", "Sở Y tế thành phố Hải Vân", "Sở Y tế", None, "Giám đốc"),
    ag("chi-cuc-an-toan-ve-sinh-thuc-pham", "Chi cục An toàn vệ sinh thực phẩm thành phố Hải Vân", "Chi cục An toàn vệ sinh thực phẩm", Some("so-y-te"), "Chi cục trưởng"),
    ag("so-lao-dong-thuong-binh-xa-hoi", "Sở Lao động – Thương binh và Xã hội thành phố Hải Vân", "Sở Lao động – Thương binh và Xã hội", None, "Giám đốc"),
    ag("so-tu-phap", "Sở Tư pháp thành phố Hải Vân", "Sở Tư pháp", None, "Giám đốc"),
    ag("so-tai-chinh", "Sở Tài chính thành phố Hải Vân", "Sở Tài chính", None, "Giám đốc"),
    ag("so-ke-hoach-dau-tu", "Sở Kế hoạch và Đầu tư thành phố Hải Vân", "Sở Kế hoạch và Đầu tư", None, "Giám đốc"),
    ag("so-cong-thuong", "Sở Công Thương thành phố Hải Vân", "Sở Công Thương", None, "Giám đốc"),
    ag("so-nong-nghiep", "Sở Nông nghiệp và Phát triển nông thôn thành phố Hải Vân", "Sở Nông nghiệp và Phát triển nông thôn", None, "Giám đốc"),
    ag("chi-cuc-thuy-loi", "Chi cục Thủy lợi thành phố Hải Vân", "Chi cục Thủy lợi", Some("so-nong-nghiep"), "Chi cục trưởng"),
    ag("so-noi-vu", "Sở Nội vụ thành phố Hải Vân", "Sở Nội vụ", None, "Giám đốc"),
    ag("so-van-hoa-the-thao", "Sở Văn hóa và Thể thao thành phố Hải Vân", "Sở Văn hóa và Thể thao", None, "Giám đốc"),
    ag("so-du-lich", "Sở Du lịch thành phố Hải Vân", "Sở Du lịch", None, "Giám đốc"),
    ag("so-thong-tin-truyen-thong", "Sở Thông tin và Truyền thông thành phố Hải Vân", "Sở Thông tin và Truyền thông", None, "Giám đốc"),
    ag("so-khoa-hoc-cong-nghe", "Sở Khoa học và Công nghệ thành phố Hải Vân", "Sở Khoa học và Công nghệ", None, "Giám đốc"),
    ag("thanh-tra-thanh-pho", "Thanh tra thành phố Hải Vân", "Thanh tra thành phố", None, "Chánh Thanh tra"),
    ag("cong-an-thanh-pho", "Công an thành phố Hải Vân", "Công an thành phố", None, "Giám đốc"),
    ag("cuc-thue-thanh-pho", "Cục Thuế thành phố Hải Vân", "Cục Thuế", None, "Cục trưởng"),
    ag("bao-hiem-xa-hoi-thanh-pho", "Bảo hiểm xã hội thành phố Hải Vân", "Bảo hiểm xã hội thành phố", None, "Giám đốc"),
    ag("bo-chi-huy-quan-su", "Bộ Chỉ huy quân sự thành phố Hải Vân", "Bộ Chỉ huy quân sự thành phố", None, "Chỉ huy trưởng"),
    ag("ban-quan-ly-du-an", "Ban Quản lý dự án đầu tư xây dựng thành phố Hải Vân", "Ban Quản lý dự án", Some("ubnd-thanh-pho"), "Giám đốc"),
    ag("ubnd-quan-hoa-binh", "Ủy ban nhân dân quận Hòa Bình", "UBND quận Hòa Bình", None, "Chủ tịch"),
    ag("ubnd-quan-hai-dang", "Ủy ban nhân dân quận Hải Đăng", "UBND quận Hải Đăng", None, "Chủ tịch"),
    ag("ubnd-quan-son-thuy", "Ủy ban nhân dân quận Sơn Thủy", "UBND quận Sơn Thủy", None, "Chủ tịch"),
    ag("ubnd-quan-thanh-luong", "Ủy ban nhân dân quận Thanh Lương", "UBND quận Thanh Lương", None, "Chủ tịch"),
    ag("ubnd-quan-bai-ngoc", "Ủy ban nhân dân quận Bãi Ngọc", "UBND quận Bãi Ngọc", None, "Chủ tịch"),
    ag("ubnd-huyen-lac-son", "Ủy ban nhân dân huyện Lạc Sơn", "UBND huyện Lạc Sơn", None, "Chủ tịch"),
    ag("ubnd-huyen-phu-van", "Ủy ban nhân dân huyện Phù Vân", "UBND huyện Phù Vân", None, "Chủ tịch"),
    ag("ubnd-huyen-long-dien", "Ủy ban nhân dân huyện Long Điền", "UBND huyện Long Điền", None, "Chủ tịch"),
    ag("ubnd-huyen-thach-son", "Ủy ban nhân dân huyện Thạch Sơn", "UBND huyện Thạch Sơn", None, "Chủ tịch"),
    ag("ubnd-huyen-an-lao", "Ủy ban nhân dân huyện An Lão", "UBND huyện An Lão", None, "Chủ tịch"),
];

/// Index of the first district in [`AGENCIES`]; districts run to the end.
const FIRST_DISTRICT: usize = 30;

/// Districts (matching the district agencies, in order) and some of their wards or communes.
#[rustfmt::skip]
const DISTRICTS: [(&str, &[&str]); 10] = [
    ("quận Hòa Bình", &["phường Hòa Phong", "phường Bình Khê", "phường Đông Lộc", "phường Hòa Bình"]),
    ("quận Hải Đăng", &["phường Bãi Ngọc", "phường Cửa Lấp", "phường Mỹ Sa", "phường Hải Đăng"]),
    ("quận Sơn Thủy", &["phường An Dương", "phường Thủy Tú", "phường Vĩnh Lạc", "phường Sơn Thủy"]),
    ("quận Thanh Lương", &["phường Thanh Lương", "phường Tân Lập", "phường Phước Mỹ"]),
    ("quận Bãi Ngọc", &["phường Ngọc Hà", "phường Bắc Sơn", "phường Nam Ngọc"]),
    ("huyện Lạc Sơn", &["thị trấn Lạc Sơn", "xã Lạc Thịnh", "xã Sơn Hà", "xã Lạc Hòa"]),
    ("huyện Phù Vân", &["xã Phù Ninh", "xã Vân Trạch", "xã Phù Vân", "thị trấn Phù Vân"]),
    ("huyện Long Điền", &["xã Long Mỹ", "xã Điền Hải", "thị trấn Long Điền"]),
    ("huyện Thạch Sơn", &["xã Thạch Bình", "xã Thạch Lâm", "xã Sơn Thạch"]),
    ("huyện An Lão", &["xã An Hưng", "xã An Thọ", "thị trấn An Lão"]),
];

/// A topic: id, name, the id of the agency that usually answers, and things people ask about.
pub struct TopicDef {
    pub id: &'static str,
    pub name: &'static str,
    pub agency: &'static str,
    pub subjects: [&'static str; 3],
}

const fn tp(
    id: &'static str,
    name: &'static str,
    agency: &'static str,
    subjects: [&'static str; 3],
) -> TopicDef {
    TopicDef {
        id,
        name,
        agency,
        subjects,
    }
}

/// Most asked first: topics are drawn with weights falling with their position.
#[rustfmt::skip]
pub const TOPICS: [TopicDef; 60] = [
    tp("dat-dai", "Đất đai", "van-phong-dang-ky-dat-dai", ["cấp giấy chứng nhận quyền sử dụng đất", "tách thửa đất ở", "chuyển mục đích sử dụng đất vườn sang đất ở"]),
    tp("xay-dung", "Xây dựng", "so-xay-dung", ["cấp giấy phép xây dựng nhà ở riêng lẻ", "sửa chữa, cải tạo nhà ở", "xây dựng công trình phụ trên đất vườn"]),
    tp("bao-hiem-xa-hoi", "Bảo hiểm xã hội", "bao-hiem-xa-hoi-thanh-pho", ["hưởng bảo hiểm xã hội một lần", "cộng nối thời gian đóng bảo hiểm xã hội", "hưởng chế độ thai sản"]),
    tp("thue", "Thuế", "cuc-thue-thanh-pho", ["quyết toán thuế thu nhập cá nhân", "hoàn thuế thu nhập cá nhân", "đăng ký người phụ thuộc để giảm trừ gia cảnh"]),
    tp("thu-tuc-hanh-chinh", "Thủ tục hành chính", "trung-tam-phuc-vu-hanh-chinh-cong", ["nộp hồ sơ trực tuyến trên Cổng dịch vụ công", "thời hạn giải quyết thủ tục hành chính", "tiếp nhận và trả kết quả hồ sơ"]),
    tp("giao-thong", "Giao thông", "so-giao-thong-van-tai", ["sửa chữa tuyến đường trong khu dân cư", "lắp đặt đèn tín hiệu giao thông", "tổ chức lại giao thông tại nút giao"]),
    tp("giao-duc", "Giáo dục", "so-giao-duc-dao-tao", ["tuyển sinh vào lớp 6", "các khoản thu đầu năm học", "dạy thêm, học thêm ngoài nhà trường"]),
    tp("y-te", "Y tế", "so-y-te", ["khám chữa bệnh bảo hiểm y tế trái tuyến", "cấp chứng chỉ hành nghề khám bệnh, chữa bệnh", "tiêm chủng mở rộng cho trẻ em"]),
    tp("moi-truong", "Môi trường", "chi-cuc-bao-ve-moi-truong", ["xử lý tiếng ồn của cơ sở sản xuất", "thu gom rác thải sinh hoạt", "xử lý nước thải của khu dân cư"]),
    tp("ho-tich", "Hộ tịch", "so-tu-phap", ["đăng ký khai sinh cho con", "cấp bản sao trích lục kết hôn", "xác nhận tình trạng hôn nhân"]),
    tp("boi-thuong-giai-phong-mat-bang", "Bồi thường, giải phóng mặt bằng", "ban-quan-ly-du-an", ["bồi thường khi Nhà nước thu hồi đất", "bố trí tái định cư", "hỗ trợ di dời nhà ở"]),
    tp("viec-lam", "Việc làm", "so-lao-dong-thuong-binh-xa-hoi", ["hưởng trợ cấp thất nghiệp", "hỗ trợ người lao động mất việc làm", "giới thiệu việc làm cho thanh niên"]),
    tp("trat-tu-do-thi", "Trật tự đô thị", "ubnd-quan-hoa-binh", ["lấn chiếm vỉa hè để kinh doanh", "xây dựng không phép trong hẻm", "trông giữ xe trái phép"]),
    tp("cu-tru", "Cư trú", "cong-an-thanh-pho", ["đăng ký thường trú", "đăng ký tạm trú cho người thuê nhà", "xác nhận thông tin về cư trú"]),
    tp("quy-hoach", "Quy hoạch", "so-xay-dung", ["quy hoạch phân khu", "điều chỉnh quy hoạch chi tiết", "cung cấp thông tin quy hoạch"]),
    tp("bao-hiem-y-te", "Bảo hiểm y tế", "bao-hiem-xa-hoi-thanh-pho", ["cấp lại thẻ bảo hiểm y tế", "bảo hiểm y tế hộ gia đình", "thanh toán chi phí khám chữa bệnh bảo hiểm y tế"]),
    tp("tro-cap-xa-hoi", "Trợ cấp xã hội", "so-lao-dong-thuong-binh-xa-hoi", ["trợ cấp hằng tháng cho người cao tuổi", "hỗ trợ người khuyết tật", "chế độ cho hộ nghèo"]),
    tp("cap-thoat-nuoc", "Cấp, thoát nước", "so-xay-dung", ["ngập úng khi mưa lớn", "cấp nước sạch cho khu dân cư", "đấu nối thoát nước thải"]),
    tp("nha-o-xa-hoi", "Nhà ở xã hội", "so-xay-dung", ["mua nhà ở xã hội", "thuê nhà ở xã hội", "điều kiện về thu nhập để mua nhà ở xã hội"]),
    tp("dang-ky-kinh-doanh", "Đăng ký kinh doanh", "so-ke-hoach-dau-tu", ["đăng ký thành lập doanh nghiệp", "thay đổi nội dung đăng ký kinh doanh", "đăng ký hộ kinh doanh"]),
    tp("lao-dong-tien-luong", "Lao động, tiền lương", "so-lao-dong-thuong-binh-xa-hoi", ["giao kết hợp đồng lao động", "tiền lương làm thêm giờ", "nghỉ phép năm của người lao động"]),
    tp("nguoi-co-cong", "Người có công", "so-lao-dong-thuong-binh-xa-hoi", ["chế độ cho thân nhân liệt sĩ", "trợ cấp người có công với cách mạng", "điều dưỡng người có công"]),
    tp("an-ninh-trat-tu", "An ninh trật tự", "cong-an-thanh-pho", ["tụ tập gây mất trật tự ban đêm", "trộm cắp tài sản trong khu dân cư", "lắp đặt camera an ninh khu phố"]),
    tp("nha-chung-cu", "Nhà chung cư", "so-xay-dung", ["phí quản lý vận hành nhà chung cư", "bầu ban quản trị nhà chung cư", "cấp giấy chứng nhận cho căn hộ chung cư"]),
    tp("an-toan-thuc-pham", "An toàn thực phẩm", "chi-cuc-an-toan-ve-sinh-thuc-pham", ["an toàn thực phẩm tại bếp ăn tập thể", "cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "thức ăn đường phố"]),
    tp("khieu-nai-to-cao", "Khiếu nại, tố cáo", "thanh-tra-thanh-pho", ["giải quyết đơn khiếu nại", "tiếp công dân định kỳ", "xác minh nội dung tố cáo"]),
    tp("tu-phap", "Tư pháp", "so-tu-phap", ["chứng thực bản sao từ bản chính", "cấp phiếu lý lịch tư pháp", "trợ giúp pháp lý miễn phí"]),
    tp("van-tai-cong-cong", "Vận tải công cộng", "so-giao-thong-van-tai", ["tuyến xe buýt nội thành", "vé tháng xe buýt cho học sinh", "điểm dừng xe buýt"]),
    tp("giay-phep-lai-xe", "Giấy phép lái xe", "so-giao-thong-van-tai", ["đổi giấy phép lái xe", "cấp lại giấy phép lái xe bị mất", "sát hạch lái xe mô tô"]),
    tp("phong-chay-chua-chay", "Phòng cháy, chữa cháy", "cong-an-thanh-pho", ["thẩm duyệt thiết kế phòng cháy chữa cháy", "phòng cháy tại nhà ở kết hợp kinh doanh", "lối thoát nạn của nhà trọ"]),
    tp("can-bo-cong-chuc", "Cán bộ, công chức", "so-noi-vu", ["tuyển dụng công chức", "xếp lương viên chức", "chế độ cho người hoạt động không chuyên trách ở xã"]),
    tp("dau-tu", "Đầu tư", "so-ke-hoach-dau-tu", ["cấp giấy chứng nhận đăng ký đầu tư", "ưu đãi đầu tư", "điều chỉnh tiến độ dự án đầu tư"]),
    tp("tai-chinh-ngan-sach", "Tài chính, ngân sách", "so-tai-chinh", ["thanh toán vốn đầu tư công", "quyết toán ngân sách xã", "kinh phí hoạt động của tổ dân phố"]),
    tp("gia-ca", "Giá cả", "so-tai-chinh", ["giá dịch vụ trông giữ xe", "giá nước sinh hoạt", "niêm yết giá tại chợ"]),
    tp("cong-thuong", "Công thương", "so-cong-thuong", ["quản lý chợ truyền thống", "cấp giấy phép bán lẻ rượu", "khuyến mại và bảo vệ người tiêu dùng"]),
    tp("dien", "Điện", "so-cong-thuong", ["cấp điện cho nhà ở mới xây", "giá bán lẻ điện sinh hoạt", "tạm ngừng cấp điện để sửa chữa lưới điện"]),
    tp("nong-nghiep", "Nông nghiệp", "so-nong-nghiep", ["hỗ trợ chuyển đổi cây trồng", "phòng chống dịch bệnh gia súc", "giống cây trồng vụ đông xuân"]),
    tp("thuy-loi", "Thủy lợi, phòng chống thiên tai", "chi-cuc-thuy-loi", ["nạo vét kênh mương nội đồng", "phòng chống bão lũ", "xây dựng công trình trong hành lang đê"]),
    tp("thuy-san", "Thủy sản", "so-nong-nghiep", ["hỗ trợ ngư dân đánh bắt xa bờ", "đăng ký tàu cá", "nuôi trồng thủy sản ven biển"]),
    tp("van-hoa", "Văn hóa", "so-van-hoa-the-thao", ["tổ chức lễ hội truyền thống", "tu bổ di tích", "kinh doanh karaoke gây ồn"]),
    tp("the-thao", "Thể thao", "so-van-hoa-the-thao", ["sân chơi thể thao cho thiếu nhi", "thiết bị tập thể dục ngoài trời", "giải thể thao phong trào"]),
    tp("du-lich", "Du lịch", "so-du-lich", ["kinh doanh homestay", "thẻ hướng dẫn viên du lịch", "quản lý bãi tắm biển"]),
    tp("thong-tin-truyen-thong", "Thông tin, truyền thông", "so-thong-tin-truyen-thong", ["hạ tầng viễn thông trong khu dân cư", "biển quảng cáo ngoài trời", "thông tin sai sự thật trên mạng xã hội"]),
    tp("chuyen-doi-so", "Chuyển đổi số", "so-thong-tin-truyen-thong", ["tài khoản định danh điện tử", "thanh toán trực tuyến phí, lệ phí", "chữ ký số cho cá nhân"]),
    tp("khoa-hoc-cong-nghe", "Khoa học, công nghệ", "so-khoa-hoc-cong-nghe", ["đăng ký nhãn hiệu", "kiểm định phương tiện đo", "đề tài khoa học cấp thành phố"]),
    tp("phong-chong-tham-nhung", "Phòng, chống tham nhũng", "thanh-tra-thanh-pho", ["kê khai tài sản, thu nhập", "phản ánh tiêu cực của cán bộ", "công khai kết luận thanh tra"]),
    tp("thi-dua-khen-thuong", "Thi đua, khen thưởng", "so-noi-vu", ["xét tặng danh hiệu thi đua", "khen thưởng thành tích kháng chiến", "tặng bằng khen cho tập thể"]),
    tp("ton-giao", "Tôn giáo", "so-noi-vu", ["đăng ký sinh hoạt tôn giáo tập trung", "sửa chữa cơ sở tôn giáo", "tổ chức lễ hội tôn giáo"]),
    tp("tre-em", "Trẻ em", "so-lao-dong-thuong-binh-xa-hoi", ["bảo vệ trẻ em bị bạo lực", "hỗ trợ trẻ em có hoàn cảnh đặc biệt", "nhóm trẻ độc lập tư thục"]),
    tp("giao-duc-nghe-nghiep", "Giáo dục nghề nghiệp", "so-lao-dong-thuong-binh-xa-hoi", ["học nghề miễn phí cho lao động nông thôn", "cấp bằng tốt nghiệp trung cấp", "tuyển sinh cao đẳng nghề"]),
    tp("y-te-du-phong", "Y tế dự phòng", "so-y-te", ["phòng chống sốt xuất huyết", "phun thuốc diệt muỗi", "kiểm tra sức khỏe học sinh"]),
    tp("dang-kiem", "Đăng kiểm", "so-giao-thong-van-tai", ["đăng kiểm xe cơ giới", "cải tạo xe ô tô", "niên hạn sử dụng xe khách"]),
    tp("khoang-san", "Khoáng sản", "so-tai-nguyen-moi-truong", ["khai thác cát trái phép", "cấp phép khai thác khoáng sản", "san lấp mặt bằng bằng đất đồi"]),
    tp("tai-nguyen-nuoc", "Tài nguyên nước", "so-tai-nguyen-moi-truong", ["khoan giếng nước ngầm", "xả nước thải vào nguồn nước", "bảo vệ hành lang sông"]),
    tp("chieu-sang-cay-xanh", "Chiếu sáng, cây xanh", "so-xay-dung", ["đèn chiếu sáng công cộng", "cắt tỉa cây xanh đường phố", "trồng cây xanh trên vỉa hè"]),
    tp("quoc-phong", "Quốc phòng", "bo-chi-huy-quan-su", ["khám tuyển nghĩa vụ quân sự", "tạm hoãn gọi nhập ngũ", "chế độ cho quân nhân xuất ngũ"]),
    tp("doanh-nghiep-nho", "Doanh nghiệp nhỏ và vừa", "so-ke-hoach-dau-tu", ["hỗ trợ doanh nghiệp nhỏ và vừa", "vay vốn ưu đãi", "tư vấn pháp lý cho doanh nghiệp"]),
    tp("xuat-nhap-khau", "Xuất nhập khẩu", "so-cong-thuong", ["chứng nhận xuất xứ hàng hóa", "xúc tiến thương mại", "kiểm tra chuyên ngành hàng xuất khẩu"]),
    tp("dan-toc", "Dân tộc", "ubnd-thanh-pho", ["chính sách cho đồng bào dân tộc thiểu số", "hỗ trợ nhà ở cho hộ nghèo vùng cao", "cử tuyển học sinh dân tộc"]),
    tp("binh-dang-gioi", "Bình đẳng giới", "so-lao-dong-thuong-binh-xa-hoi", ["phòng chống bạo lực gia đình", "hỗ trợ phụ nữ khởi nghiệp", "bình đẳng giới trong tuyển dụng"]),
];

/// The dialogue programmes: independent of the number of records, about twenty over twelve years.
pub fn sessions() -> Vec<(String, String, Date)> {
    const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
    let mut out = Vec::new();
    for k in 0..20i16 {
        let year = FIRST_YEAR + k * 12 / 20;
        let quarter = if k % 2 == 0 { 1 } else { 3 };
        let month = if quarter == 1 { 6 } else { 10 };
        let date = Date::constant(year, month, 12 + (k % 10) as i8);
        let a = &TOPICS[(k as usize * 7) % 20];
        let b = &TOPICS[(k as usize * 11 + 3) % 30];
        let id = format!("doi-thoai-{year}-q{}", quarter + 1);
        let title = format!(
            "Đối thoại trực tuyến quý {}/{year}: {} và {}",
            ROMAN[quarter as usize],
            a.name,
            b.name.to_lowercase()
        );
        out.push((id, title, date));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Words.

const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_MAN: [&str; 6] = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh"];
const MIDDLE_WOMAN: [&str; 5] = ["Thị", "Thị Kim", "Ngọc", "Thị Thu", "Thanh"];
const GIVEN_MAN: [&str; 12] = [
    "Hùng", "Dũng", "Tuấn", "Nam", "Bình", "Hải", "Long", "Sơn", "Quân", "Khánh", "Thắng", "Phúc",
];
const GIVEN_WOMAN: [&str; 12] = [
    "Lan", "Hoa", "Hương", "Mai", "Phương", "Thảo", "Trang", "Hà", "Linh", "Yến", "Oanh", "Nga",
];
const FIRM: [&str; 12] = [
    "Thành Đạt",
    "Hải Vân Xanh",
    "Minh Phát",
    "An Khang",
    "Sao Biển",
    "Phú Thịnh",
    "Tân Tiến",
    "Bình Minh",
    "Kim Long",
    "Hòa Phát Lộc",
    "Vạn Xuân",
    "Nam Hải",
];

const OFFICES: [&str; 10] = [
    "Bộ phận tiếp nhận và trả kết quả của UBND xã, phường",
    "Trung tâm Phục vụ hành chính công thành phố",
    "UBND phường nơi cư trú",
    "phòng chuyên môn của UBND quận, huyện",
    "bộ phận một cửa của cơ quan",
    "tổ dân phố và UBND phường",
    "cơ quan chuyên môn của thành phố",
    "đơn vị quản lý trực tiếp",
    "UBND quận, huyện nơi có nhà, đất",
    "cán bộ tiếp nhận hồ sơ",
];

const LAWS: [&str; 10] = [
    "Luật Đất đai năm 2024",
    "Luật Xây dựng năm 2014",
    "Luật Cư trú năm 2020",
    "Bộ luật Lao động năm 2019",
    "Luật Bảo hiểm xã hội năm 2014",
    "Luật Hộ tịch năm 2014",
    "Luật Giáo dục năm 2019",
    "Luật Khám bệnh, chữa bệnh năm 2023",
    "Luật Tiếp cận thông tin năm 2016",
    "Luật Khiếu nại năm 2011",
];
const DOC_KINDS: [(&str, &str); 6] = [
    ("Nghị định", "NĐ-CP"),
    ("Thông tư", "TT-BTC"),
    ("Thông tư", "TT-BXD"),
    ("Thông tư", "TT-BLĐTBXH"),
    ("Quyết định", "QĐ-UBND"),
    ("Nghị quyết", "NQ-HĐND"),
];

const MONEY: [&str; 8] = [
    "50.000 đồng",
    "100.000 đồng",
    "200.000 đồng mỗi hồ sơ",
    "1,5 triệu đồng",
    "0,15% giá trị",
    "25.000 đồng mỗi bản",
    "miễn phí đối với hồ sơ nộp trực tuyến",
    "3 triệu đồng mỗi tháng",
];

const DAYS: [u32; 7] = [3, 5, 7, 10, 15, 20, 30];

const TITLES: [&str; 16] = [
    "Thủ tục {np} mất bao lâu?",
    "Hồ sơ {np} gồm những gì?",
    "Vì sao việc {np} chậm giải quyết?",
    "Việc {np} tại {place} thực hiện ở đâu?",
    "Quy định mới về {np} áp dụng từ khi nào?",
    "Ai chịu trách nhiệm về {np} tại {place}?",
    "Chi phí {np} hiện nay là bao nhiêu?",
    "Có thể nộp hồ sơ {np} trực tuyến không?",
    "Bao giờ việc {np} ở {place} được giải quyết?",
    "Người dân có được {np} khi chưa đủ giấy tờ?",
    "Đề nghị xem xét việc {np} của gia đình tôi",
    "Điều kiện {np} năm {year} là gì?",
    "Hướng dẫn {np} cho người ở xa",
    "Phản ánh về việc {np} kéo dài",
    "{Np} có cần xác nhận của UBND phường?",
    "Thời hạn {np} được tính thế nào?",
];

const ASK: [&str; 22] = [
    "{I} có nhu cầu {np} tại {place} từ năm {year}.",
    "Xin hỏi thủ tục {np} cần những giấy tờ gì và nộp ở đâu?",
    "{I} đã nộp hồ sơ {np} tại {office} từ tháng {month}/{year} nhưng đến nay vẫn chưa được giải quyết.",
    "Cán bộ nói là phải bổ sung giấy tờ về {np2} nhưng không hướng dẫn cụ thể cho người dân.",
    "Xin hỏi trường hợp của {I} có được giải quyết không và thời gian là bao lâu?",
    "Nhiều người dân trong khu phố cũng gặp tình trạng tương tự và rất bức xúc.",
    "Đề nghị cơ quan có thẩm quyền xem xét, trả lời để người dân được biết và thực hiện.",
    "Theo {I} được biết thì quy định về {np} đã thay đổi từ năm {year}, vậy hồ sơ cũ có còn giá trị không?",
    "Khi {I} liên hệ với {office} thì được trả lời là chưa có hướng dẫn của cấp trên.",
    "Mong {agency} xem xét và trả lời sớm cho người dân.",
    "Việc {np} kéo dài đã ảnh hưởng đến đời sống và sinh hoạt của gia đình {I}.",
    "Xin hỏi {np2} là trách nhiệm của cơ quan nào, người dân cần làm gì để được hỗ trợ?",
    "Ở khu vực {place} hiện có nhiều hộ dân chưa được hướng dẫn về {np}.",
    "Tôi là người lao động có thu nhập thấp, muốn biết chi phí {np} là bao nhiêu và có được miễn, giảm không.",
    "Hồ sơ của {I} đã được tiếp nhận và hẹn trả kết quả sau {days} ngày làm việc, nhưng đến hẹn vẫn chưa có kết quả.",
    "{I} đã nhiều lần phản ánh với tổ dân phố và UBND phường nhưng chưa được giải quyết dứt điểm.",
    "Xin cho biết người dân có thể tra cứu kết quả {np} ở đâu, có phải đến trực tiếp không?",
    "Trước đây việc này do {office} giải quyết, nay nghe nói đã chuyển cho cơ quan khác.",
    "Gia đình {I} sinh sống ổn định tại {place}, không có tranh chấp với ai.",
    "Xin hỏi nếu {I} ủy quyền cho người thân nộp hồ sơ thì cần những giấy tờ gì?",
    "Vào buổi tối và ngày nghỉ, tình trạng này càng nghiêm trọng hơn, người già và trẻ em trong khu phố bị ảnh hưởng nhiều.",
    "Đây là vấn đề mà người dân {place} rất quan tâm, mong được trả lời rõ ràng.",
];

const OPENINGS: [&str; 5] = [
    "{agency_name} trả lời như sau:",
    "Sau khi nghiên cứu nội dung câu hỏi, {agency} có ý kiến như sau:",
    "{agency} cảm ơn {you} đã quan tâm và gửi câu hỏi. Về nội dung này, {agency} trả lời như sau:",
    "Về nội dung {you} hỏi, {agency} trả lời như sau:",
    "{agency} đã nhận được câu hỏi của {you} về {np} và trả lời như sau:",
];

const ANSWER: [&str; 20] = [
    "Theo quy định tại {doc}, việc {np} được thực hiện tại {office} nơi người dân cư trú.",
    "Trường hợp của {you} nếu đáp ứng đủ điều kiện thì được xem xét giải quyết trong thời hạn {days} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Sau khi nhận được câu hỏi, {agency} đã chỉ đạo {office} kiểm tra, làm rõ nội dung người dân phản ánh.",
    "Kết quả kiểm tra cho thấy việc chậm giải quyết hồ sơ là do thiếu giấy tờ về {np2}; {office} đã có văn bản hướng dẫn {you} bổ sung.",
    "Mức thu phí, lệ phí đối với việc {np} thực hiện theo {doc}, hiện là {money}.",
    "Nếu còn vướng mắc, đề nghị {you} liên hệ trực tiếp {office} trong giờ hành chính để được hướng dẫn cụ thể.",
    "Căn cứ {doc}, người dân có quyền đề nghị cơ quan nhà nước giải thích, hướng dẫn về {np} và được trả lời bằng văn bản.",
    "Thời gian giải quyết nêu trên không tính thời gian bổ sung hồ sơ và thời gian niêm yết công khai theo quy định.",
    "Hiện nay, thành phố đang triển khai tiếp nhận hồ sơ {np} theo hình thức trực tuyến toàn trình để giảm thời gian đi lại của người dân.",
    "{agency} ghi nhận phản ánh của {you} và đã đề nghị {office} tăng cường kiểm tra, xử lý dứt điểm trong quý {quarter}/{year}.",
    "Việc {np2} là trách nhiệm của {office}; cơ quan này phải công khai quy trình và thời hạn giải quyết tại nơi tiếp nhận hồ sơ.",
    "Trường hợp hồ sơ đã quá hạn mà chưa có kết quả, {you} có quyền yêu cầu cơ quan tiếp nhận trả lời bằng văn bản về lý do chậm trễ.",
    "Theo {doc}, hồ sơ nộp trước ngày văn bản mới có hiệu lực vẫn được tiếp tục giải quyết theo quy định tại thời điểm nộp.",
    "Đối với người cao tuổi, người khuyết tật và người có công, cơ quan tiếp nhận có trách nhiệm hỗ trợ và ưu tiên giải quyết trước.",
    "Nội dung {you} phản ánh về {np2} đã được {agency} giao {office} phối hợp với chính quyền địa phương xử lý.",
    "Người dân cần mang theo bản chính giấy tờ để đối chiếu khi nộp bản sao, không phải chứng thực.",
    "Kết quả giải quyết được trả tại nơi nộp hồ sơ hoặc qua dịch vụ bưu chính công ích nếu người dân có yêu cầu.",
    "Trong năm {year}, {agency} đã tiếp nhận và giải quyết nhiều hồ sơ tương tự, phần lớn đúng hạn.",
    "Các quy định về {np} được công khai đầy đủ trên {link}.",
    "{You} có thể tra cứu tình trạng hồ sơ trên {link} bằng mã hồ sơ được cấp khi nộp.",
];

const LIST_LEADS: [&str; 4] = [
    "Hồ sơ đề nghị {np} gồm:",
    "Trình tự thực hiện như sau:",
    "Để được giải quyết, {you} cần chuẩn bị:",
    "Theo {doc}, điều kiện để được giải quyết gồm:",
];

const ITEMS: [&str; 12] = [
    "Đơn đề nghị {np} theo mẫu ban hành kèm theo {doc};",
    "Bản sao giấy tờ về {np2};",
    "Giấy tờ chứng minh nơi cư trú của người đề nghị;",
    "Văn bản ủy quyền, nếu nộp hồ sơ thay cho người khác;",
    "Nộp hồ sơ tại {office} hoặc nộp trực tuyến trên {link};",
    "Nhận giấy tiếp nhận hồ sơ và hẹn trả kết quả;",
    "Nộp phí, lệ phí theo quy định, hiện là {money};",
    "Nhận kết quả trong thời hạn {days} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ;",
    "Có xác nhận của {office} về việc không có tranh chấp;",
    "Bản chính để đối chiếu khi nộp bản sao không có chứng thực;",
    "Các giấy tờ khác có liên quan, nếu có;",
    "Đã thực hiện đầy đủ nghĩa vụ tài chính theo quy định;",
];

const FORWARDED: [&str; 3] = [
    "Nội dung câu hỏi thuộc thẩm quyền giải quyết của {other}. {agency} đã chuyển câu hỏi đến {other} để trả lời {you} theo quy định (Công văn số {n}/{abbr} ngày {date}).",
    "Sau khi xem xét, {agency} nhận thấy việc {np} do {other} quản lý. Câu hỏi đã được chuyển đến cơ quan này ngày {date}; {you} sẽ nhận được trả lời trực tiếp.",
    "{agency} đã chuyển toàn bộ nội dung câu hỏi đến {other} là cơ quan có thẩm quyền, đồng thời đề nghị cơ quan này trả lời {you} trong thời hạn {days} ngày làm việc.",
];

const DECLINED: [&str; 3] = [
    "Nội dung {you} hỏi đang được Tòa án nhân dân {district} thụ lý giải quyết theo thủ tục tố tụng, nên {agency} không trả lời trên Cổng thông tin hỏi đáp để bảo đảm khách quan.",
    "Câu hỏi chưa nêu rõ địa điểm và thời gian xảy ra sự việc nên {agency} chưa có cơ sở để trả lời. Đề nghị {you} gửi lại câu hỏi với đầy đủ thông tin.",
    "Nội dung câu hỏi là vụ việc tranh chấp dân sự giữa các cá nhân, không thuộc phạm vi trả lời của cơ quan hành chính. {you} có thể liên hệ {office} để được hòa giải ở cơ sở.",
];

const CHANNELS: [&str; 5] = ["email", "hotline", "social", "letter", "in-person"];

// ---------------------------------------------------------------------------------------------
// Records.

/// Who asked, and how the answer addresses them.
struct Asker {
    /// The `asker:` line, or none.
    yaml: Option<String>,
    /// How the asker speaks of themselves: "tôi", "công ty chúng tôi".
    me: &'static str,
    /// How the answer addresses the asker.
    you: String,
}

/// Everything a template may ask for.
struct Ctx<'a> {
    topic: &'a TopicDef,
    agency: &'a AgencyDef,
    district: usize,
    year: i16,
    answered: Date,
    me: &'a str,
    you: &'a str,
}

/// The plan of a record: drawn first for all records, so ids follow the date of asking.
#[derive(Clone, Copy)]
struct Plan {
    asked: Date,
    rng: Rng,
}

fn plan(seed: u64, index: usize) -> Plan {
    let mut rng = Rng::new(seed, index as u64);
    // More questions each year, as portals grew.
    let weights: Vec<usize> = (0..12).map(|k| 6 + k).collect();
    let year = FIRST_YEAR + rng.weighted(&weights) as i16;
    let last_day = if year == LAST_YEAR {
        // Up to the day before "today".
        today().day_of_year() as i64 - 2
    } else {
        364
    };
    let day = rng.range(0, last_day);
    let asked = Date::constant(year, 1, 1) + day.days();
    Plan { asked, rng }
}

fn topic_weights() -> Vec<usize> {
    (0..TOPICS.len()).map(|k| 6000 / (k + 4)).collect()
}

fn agency_index(id: &str) -> usize {
    AGENCIES.iter().position(|a| a.id == id).unwrap_or(0)
}

fn place(rng: &mut Rng, district: usize, with_district: bool) -> String {
    let (name, wards) = DISTRICTS[district];
    let ward = rng.pick(wards);
    if with_district {
        format!("{ward}, {name}")
    } else {
        (*ward).to_string()
    }
}

fn person(rng: &mut Rng) -> (String, &'static str) {
    let family = rng.pick(&FAMILY);
    if rng.chance(50) {
        let name = format!(
            "{family} {} {}",
            rng.pick(&MIDDLE_MAN),
            rng.pick(&GIVEN_MAN)
        );
        (name, "ông")
    } else {
        let name = format!(
            "{family} {} {}",
            rng.pick(&MIDDLE_WOMAN),
            rng.pick(&GIVEN_WOMAN)
        );
        (name, "bà")
    }
}

fn asker(rng: &mut Rng, district: usize) -> Asker {
    let kind = rng.weighted(&[62, 14, 8, 11, 5]);
    let where_ = |rng: &mut Rng| {
        let with_district = rng.chance(60);
        place(rng, district, with_district)
    };
    match kind {
        0 => {
            let (name, you) = person(rng);
            let mut fields = vec!["kind: citizen".to_string()];
            if rng.chance(55) {
                fields.push(format!("name: \"{name}\""));
            }
            if rng.chance(80) {
                fields.push(format!("place: \"{}\"", where_(rng)));
            }
            Asker {
                yaml: Some(format!("{{{}}}", fields.join(", "))),
                me: "tôi",
                you: you.to_string(),
            }
        }
        1 => {
            let firm = rng.pick(&FIRM);
            let name = match rng.below(3) {
                0 => format!("Công ty TNHH {firm}"),
                1 => format!("Công ty cổ phần {firm}"),
                _ => format!("Hộ kinh doanh {}", person(rng).0),
            };
            let place = if rng.chance(50) {
                format!(", place: \"{}\"", where_(rng))
            } else {
                String::new()
            };
            Asker {
                yaml: Some(format!("{{kind: business, name: \"{name}\"{place}}}")),
                me: "chúng tôi",
                you: "doanh nghiệp".to_string(),
            }
        }
        2 => {
            let name = match rng.below(3) {
                0 => format!("Ban điều hành tổ dân phố {}", rng.range(1, 30)),
                1 => format!("Hợp tác xã {}", rng.pick(&FIRM)),
                _ => format!("Hội Cựu chiến binh {}", place(rng, district, false)),
            };
            Asker {
                yaml: Some(format!("{{kind: organization, name: \"{name}\"}}")),
                me: "chúng tôi",
                you: "quý đơn vị".to_string(),
            }
        }
        3 => Asker {
            yaml: Some("{kind: anonymous}".to_string()),
            me: "tôi",
            you: "bạn".to_string(),
        },
        _ => Asker {
            yaml: None,
            me: "tôi",
            you: "người dân".to_string(),
        },
    }
}

fn doc(rng: &mut Rng, year: i16) -> String {
    if rng.chance(30) {
        let law = rng.pick(&LAWS);
        return (*law).to_string();
    }
    let (kind, abbr) = rng.pick(&DOC_KINDS);
    let y = year - rng.range(0, 8) as i16;
    let n = rng.range(1, 199);
    format!("{kind} số {n}/{y}/{abbr}")
}

fn link(rng: &mut Rng, ctx: &Ctx) -> String {
    match rng.below(4) {
        0 => "<https://dichvucong.example.gov.vn>".to_string(),
        1 => format!(
            "[Cổng dịch vụ công thành phố](https://dichvucong.example.gov.vn/thu-tuc/{})",
            ctx.topic.id
        ),
        2 => format!(
            "[trang thông tin của {}](https://example.gov.vn/{})",
            ctx.agency.short, ctx.agency.id
        ),
        _ => format!(
            "[văn bản hướng dẫn](https://example.gov.vn/{}/van-ban/{})",
            ctx.agency.id,
            rng.range(100, 999)
        ),
    }
}

fn dmy(d: Date) -> String {
    format!("{}/{}/{}", d.day(), d.month(), d.year())
}

/// Expands `{key}` slots of a template.
fn fill(tpl: &str, ctx: &Ctx, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(tpl.len() + 64);
    let mut rest = tpl;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let key = &rest[start + 1..start + len];
        let value = slot(key, ctx, rng);
        out.push_str(&value);
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    capitalise(out)
}

fn slot(key: &str, ctx: &Ctx, rng: &mut Rng) -> String {
    match key {
        "np" => rng.pick(&ctx.topic.subjects).to_string(),
        "Np" => capitalise(rng.pick(&ctx.topic.subjects).to_string()),
        "np2" => {
            let other = &TOPICS[rng.below(TOPICS.len())];
            let from = if rng.chance(60) { ctx.topic } else { other };
            rng.pick(&from.subjects).to_string()
        }
        "place" => {
            let with_district = rng.chance(50);
            place(rng, ctx.district, with_district)
        }
        "district" => DISTRICTS[ctx.district].0.to_string(),
        "year" => (ctx.year - rng.range(0, 3) as i16).to_string(),
        "month" => rng.range(1, 12).to_string(),
        "quarter" => ["I", "II", "III", "IV"][rng.below(4)].to_string(),
        "days" => rng.pick(&DAYS).to_string(),
        "doc" => doc(rng, ctx.year),
        "agency" => ctx.agency.short.to_string(),
        "agency_name" => ctx.agency.name.to_string(),
        "office" => rng.pick(&OFFICES).to_string(),
        "I" => ctx.me.to_string(),
        "you" => ctx.you.to_string(),
        "You" => capitalise(ctx.you.to_string()),
        "money" => rng.pick(&MONEY).to_string(),
        "link" => link(rng, ctx),
        "other" => AGENCIES[rng.below(FIRST_DISTRICT)].name.to_string(),
        "n" => rng.range(100, 999).to_string(),
        "abbr" => format!("{}-VP", initials(ctx.agency.short)),
        "date" => dmy(ctx.answered),
        _ => String::new(),
    }
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect()
}

fn capitalise(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

/// One template of a list.
fn one(rng: &mut Rng, templates: &[&'static str]) -> &'static str {
    templates[rng.below(templates.len())]
}

fn paragraph(rng: &mut Rng, ctx: &Ctx, pool: &[&'static str]) -> String {
    let n = 1 + rng.weighted(&[35, 45, 20]);
    let mut sentences = Vec::with_capacity(n);
    for _ in 0..n {
        sentences.push(fill(one(rng, pool), ctx, rng));
    }
    sentences.join(" ")
}

fn list(rng: &mut Rng, ctx: &Ctx) -> String {
    let mut out = fill(one(rng, &LIST_LEADS), ctx, rng);
    out.push_str("\n\n");
    let ordered = rng.chance(50);
    let n = rng.range(2, 5) as usize;
    let mut used = Vec::with_capacity(n);
    while used.len() < n {
        let i = rng.below(ITEMS.len());
        if !used.contains(&i) {
            used.push(i);
        }
    }
    for (k, &i) in used.iter().enumerate() {
        let mut item = fill(ITEMS[i], ctx, rng);
        if k + 1 == n {
            item.pop();
            item.push('.');
        }
        if ordered {
            let _ = writeln!(out, "{}. {item}", k + 1);
        } else {
            let _ = writeln!(out, "- {item}");
        }
    }
    out.pop();
    out
}

fn question(rng: &mut Rng, ctx: &Ctx) -> String {
    let n = 1 + rng.weighted(&[45, 40, 15]);
    let paras: Vec<String> = (0..n).map(|_| paragraph(rng, ctx, &ASK)).collect();
    paras.join("\n\n")
}

fn answer(rng: &mut Rng, ctx: &Ctx, status: usize) -> String {
    let mut paras = vec![fill(one(rng, &OPENINGS), ctx, rng)];
    match status {
        2 => paras.push(fill(one(rng, &FORWARDED), ctx, rng)),
        3 => paras.push(fill(one(rng, &DECLINED), ctx, rng)),
        _ => {
            // Two to six paragraphs in all, one of them often a list.
            let n = 1 + rng.weighted(&[25, 30, 25, 12, 8]);
            let list_at = if rng.chance(60) { rng.below(n) } else { n };
            for k in 0..n {
                if k == list_at {
                    paras.push(list(rng, ctx));
                } else {
                    paras.push(paragraph(rng, ctx, &ANSWER));
                }
            }
        }
    }
    if status != 0 && rng.chance(50) {
        paras.push(paragraph(rng, ctx, &ANSWER));
    }
    paras.join("\n\n")
}

/// One record file. `session` is the index and date of the session it was answered in.
fn record(
    id: &str,
    plan: Plan,
    session: Option<(usize, &str, Date)>,
    topic_weights: &[usize],
) -> (String, RecordFacts) {
    let mut rng = plan.rng;
    let asked = plan.asked;
    let t = rng.weighted(topic_weights);
    let topic = &TOPICS[t];
    let agency_idx = match rng.below(100) {
        0..75 => agency_index(topic.agency),
        75..90 => FIRST_DISTRICT + rng.below(AGENCIES.len() - FIRST_DISTRICT),
        _ => rng.below(3),
    };
    let agency = &AGENCIES[agency_idx];
    let district = if agency_idx >= FIRST_DISTRICT {
        agency_idx - FIRST_DISTRICT
    } else {
        rng.below(DISTRICTS.len())
    };
    let status = rng.weighted(&[83, 10, 4, 3]);
    let delay = 1
        + rng.weighted(&[
            5, 12, 14, 12, 10, 8, 6, 5, 4, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1,
        ]) as i64
        + if rng.chance(15) { rng.range(10, 40) } else { 0 };
    let answered = match session {
        Some((_, _, date)) => date,
        None => (asked + delay.days()).min(today()),
    };
    let who = asker(&mut rng, district);
    let ctx = Ctx {
        topic,
        agency,
        district,
        year: asked.year(),
        answered,
        me: who.me,
        you: &who.you,
    };

    let mut topics = vec![t];
    for _ in 0..rng.weighted(&[55, 35, 10]) {
        let extra = rng.weighted(topic_weights);
        if !topics.contains(&extra) {
            topics.push(extra);
        }
    }
    let title = fill(one(&mut rng, &TITLES), &ctx, &mut rng);

    let mut s = String::with_capacity(2048);
    s.push_str("---\n");
    let _ = writeln!(s, "id: \"{id}\"");
    let _ = writeln!(s, "title: \"{title}\"");
    let _ = writeln!(s, "asked: {asked}");
    if let Some(line) = &who.yaml {
        let _ = writeln!(s, "asker: {line}");
    }
    let _ = writeln!(s, "agency: {}", agency.id);
    let ids: Vec<&str> = topics.iter().map(|&k| TOPICS[k].id).collect();
    let _ = writeln!(s, "topics: [{}]", ids.join(", "));
    if let Some((_, sid, _)) = session {
        let _ = writeln!(s, "session: {sid}");
        s.push_str("channel: online-dialogue\n");
    } else if rng.chance(92) {
        let _ = writeln!(s, "channel: {}", rng.pick(&CHANNELS));
    }
    let status_name = ["answered", "pending", "forwarded", "declined"][status];
    let _ = writeln!(s, "status: {status_name}");
    if status != 1 {
        let _ = writeln!(s, "answered: {answered}");
        if rng.chance(85) {
            let deputy = if rng.chance(50) { "Phó " } else { "" };
            let head = agency.head;
            let _ = writeln!(s, "answered_by: \"{deputy}{head} {}\"", agency.short);
        }
    }
    if rng.chance(20) {
        let _ = writeln!(
            s,
            "source: \"https://congthongtin.example.gov.vn/hoi-dap/{id}\""
        );
    }
    s.push_str("---\n");
    s.push_str(&question(&mut rng, &ctx));
    s.push('\n');
    if status != 1 {
        s.push_str("\n<!-- answer -->\n\n");
        s.push_str(&answer(&mut rng, &ctx, status));
        s.push('\n');
    }
    let facts = RecordFacts {
        status,
        agency: agency_idx,
        topics,
        session: session.map(|(k, _, _)| k),
        year: asked.year(),
    };
    (s, facts)
}

struct RecordFacts {
    status: usize,
    agency: usize,
    topics: Vec<usize>,
    session: Option<usize>,
    year: i16,
}

// ---------------------------------------------------------------------------------------------
// Registries and settings as files.

fn site_toml(records: usize, seed: u64) -> String {
    format!(
        "# A generated archive: {records} records, seed {seed}.\n\
         title = \"Hỏi đáp Hải Vân\"\n\
         description = \"Câu hỏi của người dân, doanh nghiệp và trả lời của các cơ quan thành phố Hải Vân.\"\n\
         base_url = \"https://hoidap.example.gov.vn/\"\n\
         language = \"vi\"\n\
         paginate = {PAGINATE}\n\
         today = {}\n",
        today()
    )
}

fn agencies_yaml() -> String {
    let mut s = String::from("# Agencies of the generated archive.\n");
    for a in &AGENCIES {
        let _ = writeln!(s, "- id: {}", a.id);
        let _ = writeln!(s, "  name: \"{}\"", a.name);
        let _ = writeln!(s, "  short_name: \"{}\"", a.short);
        if let Some(p) = a.parent {
            let _ = writeln!(s, "  parent: {p}");
        }
        let _ = writeln!(s, "  url: \"https://example.gov.vn/{}\"", a.id);
        s.push('\n');
    }
    s
}

fn topics_yaml() -> String {
    let mut s = String::from("# Topics of the generated archive.\n");
    for t in &TOPICS {
        let _ = writeln!(s, "- id: {}", t.id);
        let _ = writeln!(s, "  name: \"{}\"", t.name);
    }
    s
}

fn sessions_yaml() -> String {
    let mut s = String::from("# Dialogue programmes of the generated archive.\n");
    for (id, title, date) in sessions() {
        let _ = writeln!(s, "- id: {id}");
        let _ = writeln!(s, "  title: \"{title}\"");
        let _ = writeln!(s, "  date: {date}");
        s.push_str("  channel: online-dialogue\n");
    }
    s
}

// ---------------------------------------------------------------------------------------------
// The whole site.

/// The session a question asked on `asked` belongs to, if any: 60% of those asked in the
/// three weeks before a session.
fn session_for(asked: Date, rng: &mut Rng, sessions: &[(String, String, Date)]) -> Option<usize> {
    let k = sessions
        .iter()
        .position(|(_, _, d)| *d >= asked && (*d - asked).get_days() <= 21)?;
    rng.chance(60).then_some(k)
}

/// Writes a complete site into `out` (created if missing). Existing record files of the same
/// ids are overwritten; use an empty folder.
pub fn generate(opts: Options, out: &Path) -> io::Result<Summary> {
    let records_dir = out.join("content").join("records");
    std::fs::create_dir_all(&records_dir)?;
    let mut bytes = 0u64;
    let mut write = |rel: &str, text: String| -> io::Result<()> {
        bytes += text.len() as u64;
        std::fs::write(out.join(rel), text)
    };
    write("site.toml", site_toml(opts.records, opts.seed))?;
    write("content/agencies.yaml", agencies_yaml())?;
    write("content/topics.yaml", topics_yaml())?;
    write("content/sessions.yaml", sessions_yaml())?;

    // Ids follow the date of asking within each year: 2018-000001 is the first of 2018.
    let mut plans: Vec<Plan> = (0..opts.records).map(|i| plan(opts.seed, i)).collect();
    plans.sort_by_key(|p| p.asked);
    let mut ids = Vec::with_capacity(plans.len());
    let mut seq = [0usize; 12];
    for p in &plans {
        let y = (p.asked.year() - FIRST_YEAR) as usize;
        seq[y] += 1;
        ids.push(format!("{}-{:06}", p.asked.year(), seq[y]));
    }
    for y in FIRST_YEAR..=LAST_YEAR {
        std::fs::create_dir_all(records_dir.join(y.to_string()))?;
    }

    let sessions = sessions();
    let weights = topic_weights();
    let results: Vec<io::Result<(u64, RecordFacts)>> = plans
        .par_iter()
        .zip(ids.par_iter())
        .map(|(p, id)| {
            let mut p = *p;
            let session = session_for(p.asked, &mut p.rng, &sessions)
                .map(|k| (k, sessions[k].0.as_str(), sessions[k].2));
            let (text, facts) = record(id, p, session, &weights);
            let path = records_dir
                .join(p.asked.year().to_string())
                .join(format!("{id}.md"));
            std::fs::write(path, &text)?;
            Ok((text.len() as u64, facts))
        })
        .collect();

    let mut summary = Summary {
        records: opts.records,
        files: 4 + opts.records,
        by_agency: vec![0; AGENCIES.len()],
        by_topic: vec![0; TOPICS.len()],
        by_session: vec![0; sessions.len()],
        by_year: vec![0; 12],
        ..Summary::default()
    };
    for r in results {
        let (len, f) = r?;
        bytes += len;
        summary.by_status[f.status] += 1;
        summary.by_agency[f.agency] += 1;
        for t in f.topics {
            summary.by_topic[t] += 1;
        }
        if let Some(k) = f.session {
            summary.by_session[k] += 1;
        }
        summary.by_year[(f.year - FIRST_YEAR) as usize] += 1;
    }
    summary.bytes = bytes;
    Ok(summary)
}
