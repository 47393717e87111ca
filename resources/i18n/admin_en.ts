<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AdminHooks</name>
    <message>
        <location filename="../../ui/admin/wiring.py" line="59"/>
        <source>Đã lưu hồ sơ (được mã hóa).</source>
        <translation>Record saved (encrypted).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="111"/>
        <source>Màn hình &amp;quản trị…</source>
        <translation>&amp;Admin screens…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="112"/>
        <source>Đăng &amp;xuất</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="115"/>
        <source>⚠ Chưa có chứng thư CSCA: chưa xác minh được nơi cấp thẻ. Hãy nhập danh sách tin cậy.</source>
        <translation>⚠ No CSCA certificate yet: the card&apos;s issuer cannot be verified. Import the trust list.</translation>
    </message>
</context>
<context>
    <name>AdminMessages</name>
    <message>
        <location filename="../../ui/admin/messages.py" line="41"/>
        <source>Sai tên đăng nhập hoặc mật khẩu.</source>
        <translation>Incorrect username or password.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/messages.py" line="43"/>
        <source>Tài khoản đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %n phút.</source>
        <translation>
            <numerusform>This account is locked after too many wrong passwords. Try again in %n minute.</numerusform>
            <numerusform>This account is locked after too many wrong passwords. Try again in %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="50"/>
        <source>Tài khoản này đã bị vô hiệu hóa; hãy liên hệ quản trị viên.</source>
        <translation>This account has been disabled; contact an administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="54"/>
        <source>Chỉ quản trị viên mới được làm việc này.</source>
        <translation>Only an administrator may do this.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="57"/>
        <source>Cơ sở dữ liệu của máy trạm gặp lỗi; thao tác này chưa được ghi lại.</source>
        <translation>The station&apos;s database failed; this action was not recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="64"/>
        <source>Không kết nối được máy chủ trung tâm.</source>
        <translation>Cannot connect to the central server.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="69"/>
        <source>Không mở được hồ sơ đã lưu: thiếu tệp khóa của đơn vị.</source>
        <translation>Cannot open the saved record: the office&apos;s key file is missing.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="75"/>
        <source>Hồ sơ đã lưu bị hỏng hoặc bị sửa đổi.</source>
        <translation>The saved record is damaged or has been altered.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="77"/>
        <source>Hồ sơ không còn (có thể đã bị xóa theo thời hạn lưu).</source>
        <translation>The record no longer exists (it may have been deleted at the end of its retention period).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="84"/>
        <source>Lỗi không mong đợi.</source>
        <translation>Unexpected error.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/messages.py" line="90"/>
        <source>Mật khẩu cần ít nhất %n ký tự.</source>
        <translation>
            <numerusform>The password must have at least %n character.</numerusform>
            <numerusform>The password must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="94"/>
        <source>Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, &apos;.&apos;, &apos;_&apos; hoặc &apos;-&apos;.</source>
        <translation>A username has 2–64 lower-case letters without accents, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="98"/>
        <source>Không có người dùng %1.</source>
        <translation>There is no operator %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="102"/>
        <source>Họ và tên cần từ 1 đến 128 ký tự.</source>
        <translation>A full name has 1 to 128 characters.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="104"/>
        <source>Tên đăng nhập %1 đã có người dùng.</source>
        <translation>The username %1 is already taken.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="108"/>
        <source>Không thể hạ quyền hoặc vô hiệu hóa quản trị viên đang hoạt động cuối cùng.</source>
        <translation>The last active administrator cannot be demoted or disabled.</translation>
    </message>
</context>
<context>
    <name>AdminWindow</name>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="40"/>
        <source>Quản trị — Trạm đọc CCCD — %1</source>
        <translation>Administration — CCCD Station — %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="51"/>
        <source>Người &amp;dùng</source>
        <translation>&amp;Operators</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="52"/>
        <source>&amp;Nhật ký</source>
        <translation>&amp;Audit trail</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="53"/>
        <source>Hồ &amp;sơ đã lưu</source>
        <translation>Saved &amp;records</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="54"/>
        <source>&amp;Kho tin cậy</source>
        <translation>&amp;Trust store</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="55"/>
        <source>&amp;Cài đặt</source>
        <translation>Settin&amp;gs</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="91"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>AuditLabels</name>
    <message>
        <location filename="../../ui/admin/messages.py" line="125"/>
        <source>Xác thực đầy đủ</source>
        <translation>Fully verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="126"/>
        <source>Xác thực một phần</source>
        <translation>Partly verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="127"/>
        <source>Không đạt</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="128"/>
        <source>Không đọc được</source>
        <translation>Not read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="131"/>
        <source>Đọc thẻ</source>
        <translation>Card read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="132"/>
        <source>Đăng nhập</source>
        <translation>Sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="133"/>
        <source>Đăng xuất</source>
        <translation>Sign-out</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="134"/>
        <source>Đăng nhập sai</source>
        <translation>Failed sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="135"/>
        <source>Đăng nhập khi bị khóa</source>
        <translation>Sign-in while locked</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="136"/>
        <source>Đăng nhập tài khoản đã vô hiệu</source>
        <translation>Sign-in to a disabled account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="137"/>
        <source>Thêm người dùng</source>
        <translation>Operator added</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="138"/>
        <source>Đổi mật khẩu</source>
        <translation>Password changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="139"/>
        <source>Đổi vai trò</source>
        <translation>Role changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="140"/>
        <source>Vô hiệu hóa người dùng</source>
        <translation>Operator disabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="141"/>
        <source>Kích hoạt người dùng</source>
        <translation>Operator enabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="142"/>
        <source>Gỡ khóa đăng nhập</source>
        <translation>Sign-in unlocked</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="143"/>
        <source>Xem hồ sơ</source>
        <translation>Record viewed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="144"/>
        <source>Xuất hồ sơ</source>
        <translation>Records exported</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="145"/>
        <source>Xuất nhật ký</source>
        <translation>Audit trail exported</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="146"/>
        <source>Xóa hồ sơ quá hạn</source>
        <translation>Expired records deleted</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="147"/>
        <source>Nhập kho tin cậy</source>
        <translation>Trust store import</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="148"/>
        <source>Đổi cài đặt</source>
        <translation>Settings changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="151"/>
        <source>Sai khóa mở thẻ</source>
        <translation>Wrong card access key</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="152"/>
        <source>Thẻ bị rút ra</source>
        <translation>Card removed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="153"/>
        <source>Không có thẻ</source>
        <translation>No card</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="154"/>
        <source>Không có đầu đọc</source>
        <translation>No reader</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="155"/>
        <source>Lỗi kênh bảo mật</source>
        <translation>Secure messaging error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="156"/>
        <source>Thẻ không được hỗ trợ</source>
        <translation>Unsupported card</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="157"/>
        <source>Dữ liệu chip hỏng</source>
        <translation>Corrupt chip data</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="158"/>
        <source>Thẻ từ chối lệnh</source>
        <translation>Card refused a command</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="159"/>
        <source>Lỗi thẻ</source>
        <translation>Card error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="160"/>
        <source>Đã hủy</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="161"/>
        <source>Lỗi không mong đợi</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="186"/>
        <source>Tất cả đạt</source>
        <translation>All passed</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="53"/>
        <source>Số CCCD / số hộ chiếu</source>
        <translation>CCCD or passport number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="56"/>
        <source>&amp;Từ ngày</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="58"/>
        <source>Đến ngà&amp;y</source>
        <translation>&amp;Until</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="68"/>
        <location filename="../../ui/admin/audit_tab.py" line="133"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="69"/>
        <source>Xác thực đầy đủ</source>
        <translation>Fully verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="70"/>
        <source>Xác thực một phần</source>
        <translation>Partly verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="71"/>
        <source>Không đạt</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="72"/>
        <source>Không đọc được</source>
        <translation>Not read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="75"/>
        <source>Tì&amp;m</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="80"/>
        <source>Số &amp;giấy tờ:</source>
        <translation>Document &amp;number:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="82"/>
        <source>Ngườ&amp;i đọc:</source>
        <translation>Op&amp;erator:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="84"/>
        <source>Kết &amp;quả:</source>
        <translation>Resu&amp;lt:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="101"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="102"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="103"/>
        <source>Người thao tác</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="104"/>
        <source>Máy trạm</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="105"/>
        <source>Đầu đọc</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="106"/>
        <source>Giao thức</source>
        <translation>Protocol</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="107"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="108"/>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="109"/>
        <source>Các bước kiểm tra</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="114"/>
        <source>Xuất CS&amp;V…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="116"/>
        <source>Xuất &amp;JSON…</source>
        <translation>Export &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="156"/>
        <source>Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự).</source>
        <translation>A document number has only letters and digits (at most 24 characters).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/audit_tab.py" line="180"/>
        <source>%n sự kiện.</source>
        <translation>
            <numerusform>%n event.</numerusform>
            <numerusform>%n events.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="191"/>
        <source>Không ghi được tệp: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/audit_tab.py" line="193"/>
        <source>Đã xuất %n sự kiện.</source>
        <translation>
            <numerusform>Exported %n event.</numerusform>
            <numerusform>Exported %n events.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="198"/>
        <source>Xuất nhật ký</source>
        <translation>Export audit trail</translation>
    </message>
</context>
<context>
    <name>OperatorDialog</name>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="34"/>
        <source>Đặt lại mật khẩu cho %1</source>
        <translation>Reset password for %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="36"/>
        <source>Thêm người dùng</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="42"/>
        <source>Nhân viên giao dịch</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="43"/>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="51"/>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="53"/>
        <source>&amp;Họ và tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="54"/>
        <source>&amp;Vai trò:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="55"/>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="56"/>
        <source>&amp;Nhập lại mật khẩu:</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="69"/>
        <source>Hai mật khẩu không giống nhau.</source>
        <translation>The two passwords do not match.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/operators_tab.py" line="71"/>
        <source>Mật khẩu cần ít nhất %n ký tự.</source>
        <translation>
            <numerusform>The password must have at least %n character.</numerusform>
            <numerusform>The password must have at least %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OperatorsTab</name>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="83"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="83"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="83"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="83"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="88"/>
        <source>&amp;Thêm…</source>
        <translation>A&amp;dd…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="89"/>
        <source>Đổi &amp;vai trò</source>
        <translation>Change ro&amp;le</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="90"/>
        <source>Khóa / mở tài kh&amp;oản</source>
        <translation>Disa&amp;ble / enable account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="91"/>
        <source>&amp;Gỡ khóa đăng nhập</source>
        <translation>&amp;Unlock sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="92"/>
        <source>Đặt lại &amp;mật khẩu…</source>
        <translation>Reset &amp;password…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="109"/>
        <source>Bị khóa đăng nhập đến %1</source>
        <translation>Sign-in locked until %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="125"/>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="125"/>
        <source>Nhân viên giao dịch</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="107"/>
        <source>Đã vô hiệu hóa</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="110"/>
        <source>Đang hoạt động</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="139"/>
        <source>Hãy chọn một người dùng trong danh sách.</source>
        <translation>Select an operator in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="159"/>
        <source>Đã thêm người dùng %1.</source>
        <translation>Added operator %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="166"/>
        <source>Đã đổi vai trò của %1.</source>
        <translation>Changed the role of %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="172"/>
        <source>Đã vô hiệu hóa %1.</source>
        <translation>Disabled %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="172"/>
        <source>Đã kích hoạt lại %1.</source>
        <translation>Re-enabled %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="180"/>
        <source>Đã gỡ khóa đăng nhập cho %1.</source>
        <translation>Unlocked sign-in for %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="187"/>
        <source>Đã đặt lại mật khẩu cho %1.</source>
        <translation>Reset the password for %1.</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="57"/>
        <source>Hồ sơ đã lưu</source>
        <translation>Saved record</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="60"/>
        <source>Lưu lúc:</source>
        <translation>Saved at:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="61"/>
        <source>Người lưu:</source>
        <translation>Saved by:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="68"/>
        <source>Không thời hạn</source>
        <translation>No expiry</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="76"/>
        <source>Kết quả xác thực:</source>
        <translation>Verification result:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="84"/>
        <source>(không có ảnh)</source>
        <translation>(no photo)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="89"/>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>RecordFields</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="32"/>
        <source>Số định danh</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="33"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="34"/>
        <location filename="../../ui/admin/records_tab.py" line="47"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="35"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="36"/>
        <location filename="../../ui/admin/records_tab.py" line="46"/>
        <source>Quốc tịch</source>
        <translation>Nationality</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="37"/>
        <source>Quê quán</source>
        <translation>Place of origin</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="38"/>
        <source>Nơi thường trú</source>
        <translation>Place of residence</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="39"/>
        <source>Ngày cấp</source>
        <translation>Date of issue</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="40"/>
        <location filename="../../ui/admin/records_tab.py" line="48"/>
        <source>Có giá trị đến</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="43"/>
        <source>Số giấy tờ</source>
        <translation>Document number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="44"/>
        <source>Họ</source>
        <translation>Surname</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="45"/>
        <source>Tên</source>
        <translation>Given names</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="105"/>
        <source>Lọc theo số CCCD / hộ chiếu</source>
        <translation>Filter by CCCD or passport number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="107"/>
        <source>&amp;Tìm</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="113"/>
        <source>Lưu lúc</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="113"/>
        <source>Máy trạm</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="113"/>
        <source>Người lưu</source>
        <translation>Saved by</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="113"/>
        <source>Ảnh</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="116"/>
        <source>Kèm ảnh (c&amp;hỉ JSON)</source>
        <translation>Include &amp;photos (JSON only)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="120"/>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="121"/>
        <source>Xuất CS&amp;V…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="122"/>
        <source>Xuất &amp;JSON…</source>
        <translation>Export &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="123"/>
        <source>Xóa hồ sơ &amp;quá hạn</source>
        <translation>Delete e&amp;xpired records</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="141"/>
        <source>Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự).</source>
        <translation>A document number has only letters and digits (at most 24 characters).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="153"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="153"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="159"/>
        <source>%n hồ sơ.</source>
        <translation>
            <numerusform>%n record.</numerusform>
            <numerusform>%n records.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="175"/>
        <location filename="../../ui/admin/records_tab.py" line="212"/>
        <source>Hãy chọn hồ sơ cần xuất.</source>
        <translation>Select the records to export.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="185"/>
        <source>Không ghi được tệp: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="187"/>
        <source>Đã xuất %n hồ sơ.</source>
        <translation>
            <numerusform>Exported %n record.</numerusform>
            <numerusform>Exported %n records.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="197"/>
        <source>Đã xóa %n hồ sơ quá thời hạn lưu.</source>
        <translation>
            <numerusform>Deleted %n record past its retention period.</numerusform>
            <numerusform>Deleted %n records past their retention period.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="203"/>
        <source>Hãy chọn một hồ sơ.</source>
        <translation>Select a record.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="215"/>
        <source>Xuất hồ sơ</source>
        <translation>Export records</translation>
    </message>
</context>
<context>
    <name>SaveRecordAction</name>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="57"/>
        <source>&amp;Lưu hồ sơ</source>
        <translation>&amp;Save record</translation>
    </message>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="58"/>
        <source>Lưu thông tin và ảnh của người này (được mã hóa)</source>
        <translation>Save this person&apos;s details and photo (encrypted)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="69"/>
        <source>Hãy đăng nhập trước khi lưu hồ sơ.</source>
        <translation>Sign in before saving a record.</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message numerus="yes">
        <location filename="../../ui/admin/settings_tab.py" line="64"/>
        <source> ngày</source>
        <translation>
            <numerusform> day</numerusform>
            <numerusform> days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="31"/>
        <source> giây</source>
        <translation> seconds</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="42"/>
        <source>Thờ&amp;i hạn lưu hồ sơ:</source>
        <translation>Keep saved records &amp;for:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="43"/>
        <source>Tự động &amp;xóa màn hình sau:</source>
        <translation>Auto-&amp;clear the screen after:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="44"/>
        <source>Cơ sở dữ liệu &amp;trung tâm:</source>
        <translation>Central &amp;database:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="45"/>
        <source>&amp;Mã máy trạm:</source>
        <translation>Station &amp;ID:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="46"/>
        <source>&amp;Lưu cài đặt</source>
        <translation>&amp;Save settings</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="48"/>
        <source>&amp;Hoàn tác</source>
        <translation>Re&amp;vert</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="100"/>
        <source>Không có thay đổi.</source>
        <translation>No changes.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="106"/>
        <source>Mã máy trạm chỉ gồm chữ, số và . _ - (tối đa 64 ký tự).</source>
        <translation>A station ID has only letters, digits and . _ - (at most 64 characters).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="108"/>
        <source>Giá trị cài đặt không hợp lệ.</source>
        <translation>Invalid setting value.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="114"/>
        <source>Đã lưu cài đặt.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="38"/>
        <source>Đăng nhập — Trạm đọc CCCD</source>
        <translation>Sign in — CCCD Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="59"/>
        <source>Thông báo</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="62"/>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="64"/>
        <source>&amp;Họ và tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="65"/>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="67"/>
        <source>&amp;Nhập lại mật khẩu:</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="73"/>
        <source>Tạo tài khoản quản trị</source>
        <translation>Create administrator account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="73"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="77"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sign_in.py" line="93"/>
        <source>Lần chạy đầu tiên: hãy tạo tài khoản quản trị viên. Mật khẩu cần ít nhất %n ký tự.</source>
        <translation>
            <numerusform>First run: create an administrator account. The password must have at least %n character.</numerusform>
            <numerusform>First run: create an administrator account. The password must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="99"/>
        <source>Đăng nhập để sử dụng trạm đọc thẻ.</source>
        <translation>Sign in to use the card reading station.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="136"/>
        <source>Hãy nhập tên đăng nhập và mật khẩu.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="142"/>
        <source>Hai mật khẩu không giống nhau.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="41"/>
        <source>Lỗi cơ sở dữ liệu</source>
        <translation>Database error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="46"/>
        <source>Lần đồng bộ gần nhất: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="48"/>
        <source>Chưa cấu hình máy chủ · %n mục chờ gửi</source>
        <translation>
            <numerusform>No server configured · %n item waiting to be sent</numerusform>
            <numerusform>No server configured · %n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="49"/>
        <source>Chưa đặt địa chỉ cơ sở dữ liệu trung tâm.</source>
        <translation>The central database address is not set.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="51"/>
        <source>Không kết nối được máy chủ · %n mục chờ gửi</source>
        <translation>
            <numerusform>Cannot reach the server · %n item waiting to be sent</numerusform>
            <numerusform>Cannot reach the server · %n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="54"/>
        <source>%n mục chờ gửi</source>
        <translation>
            <numerusform>%n item waiting to be sent</numerusform>
            <numerusform>%n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="56"/>
        <source>Đã đồng bộ</source>
        <translation>In sync</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="58"/>
        <source>Đang chờ đồng bộ lần đầu</source>
        <translation>Waiting for the first sync</translation>
    </message>
</context>
<context>
    <name>TrustTab</name>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="28"/>
        <source>Danh sách CSCA (master list)</source>
        <translation>CSCA master list</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="29"/>
        <source>Chứng thư CSCA</source>
        <translation>CSCA certificate</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="30"/>
        <source>Danh sách thu hồi (CRL)</source>
        <translation>Certificate revocation list (CRL)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="34"/>
        <source>Nhập &amp;master list…</source>
        <translation>Import &amp;master list…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="35"/>
        <source>Nhập chứng thư CSC&amp;A…</source>
        <translation>Import &amp;CSCA certificate…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="36"/>
        <source>Nhập C&amp;RL…</source>
        <translation>Import CR&amp;L…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="45"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="45"/>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="45"/>
        <source>Thời điểm nhập</source>
        <translation>Imported at</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="45"/>
        <source>Dấu vân tay SHA-256</source>
        <translation>SHA-256 fingerprint</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="77"/>
        <source>Kho tin cậy đang dùng: %1 CSCA, %2 CRL.</source>
        <translation>Trust store in use — CSCA certificates: %1, CRLs: %2.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/trust_tab.py" line="81"/>
        <source>%n mục nhận từ máy chủ bị từ chối.</source>
        <translation>
            <numerusform>%n entry received from the server was rejected.</numerusform>
            <numerusform>%n entries received from the server were rejected.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="89"/>
        <source>Tệp bị từ chối: %1</source>
        <translation>File rejected: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/trust_tab.py" line="96"/>
        <source>Đã nhập %1: %n mục.</source>
        <translation>
            <numerusform>Imported %1: %n entry.</numerusform>
            <numerusform>Imported %1: %n entries.</numerusform>
        </translation>
    </message>
</context>
</TS>
