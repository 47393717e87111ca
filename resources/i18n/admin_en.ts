<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AdminHooks</name>
    <message>
        <location filename="../../ui/admin/wiring.py" line="124"/>
        <source>Đã lưu hồ sơ (được mã hóa).</source>
        <translation>Record saved (encrypted).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="103"/>
        <source>Màn hình &amp;quản trị…</source>
        <translation>&amp;Admin screens…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="104"/>
        <source>Đăng &amp;xuất</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <location filename="../../ui/admin/wiring.py" line="107"/>
        <source>⚠ Chưa có chứng thư CSCA: chưa xác minh được nơi cấp thẻ. Hãy nhập danh sách tin cậy.</source>
        <translation>⚠ No CSCA certificate yet: the card&apos;s issuer cannot be verified. Import the trust list.</translation>
    </message>
</context>
<context>
    <name>AdminMessages</name>
    <message>
        <location filename="../../ui/admin/messages.py" line="26"/>
        <source>Sai tên đăng nhập hoặc mật khẩu.</source>
        <translation>Incorrect username or password.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/messages.py" line="116"/>
        <source>Tài khoản đã bị khóa vì nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau %n phút.</source>
        <translation>
            <numerusform>This account is locked after too many wrong passwords. Try again in %n minute.</numerusform>
            <numerusform>This account is locked after too many wrong passwords. Try again in %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="28"/>
        <source>Tài khoản này đã bị vô hiệu hóa; hãy liên hệ quản trị viên.</source>
        <translation>This account has been disabled; contact an administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="32"/>
        <source>Chỉ quản trị viên mới được làm việc này.</source>
        <translation>Only an administrator may do this.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="36"/>
        <source>Cơ sở dữ liệu của máy trạm gặp lỗi; thao tác này chưa được ghi lại.</source>
        <translation>The station&apos;s database failed; this action was not recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="42"/>
        <source>Ổ đĩa của máy trạm đã đầy; thao tác này chưa được ghi lại.</source>
        <translation>The station&apos;s disk is full; this action was not recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="46"/>
        <source>Không mở được cơ sở dữ liệu của máy trạm; thao tác này chưa được ghi lại.</source>
        <translation>The station&apos;s database cannot be opened; this action was not recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="52"/>
        <source>Cơ sở dữ liệu của máy trạm đang bận; hãy thử lại sau giây lát.</source>
        <translation>The station&apos;s database is busy; try again in a moment.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="56"/>
        <source>Cơ sở dữ liệu của máy trạm không ghi được; thao tác này chưa được ghi lại.</source>
        <translation>The station&apos;s database cannot be written; this action was not recorded.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="62"/>
        <source>Không kết nối được máy chủ trung tâm.</source>
        <translation>Cannot connect to the central server.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="66"/>
        <source>Máy chủ trung tâm từ chối dữ liệu của máy trạm này.</source>
        <translation>The central server refused this station&apos;s data.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="70"/>
        <source>Máy chủ trung tâm đã có dữ liệu khác dưới mã máy trạm này; hãy đặt cho máy trạm một mã mới.</source>
        <translation>The central server already holds other data under this station id; give the station a new id.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="77"/>
        <source>Không mở được hồ sơ đã lưu: thiếu tệp khóa của đơn vị.</source>
        <translation>Cannot open the saved record: the office&apos;s key file is missing.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="81"/>
        <source>Tệp khóa của đơn vị bị từ chối vì người dùng khác trên máy đọc được nó.</source>
        <translation>The site key file is refused because other users of this computer can read it.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="87"/>
        <source>Tệp khóa của đơn vị bị hỏng hoặc sai định dạng.</source>
        <translation>The site key file is damaged or not in the expected format.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="91"/>
        <source>Không mở được hồ sơ này: hồ sơ được lưu bằng một khóa khác của đơn vị.</source>
        <translation>This record cannot be opened: it was saved under another site key.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="96"/>
        <source>Hồ sơ đã lưu bị hỏng hoặc bị sửa đổi.</source>
        <translation>The saved record is damaged or has been altered.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="98"/>
        <source>Hồ sơ không còn (có thể đã bị xóa theo thời hạn lưu).</source>
        <translation>The record no longer exists (it may have been deleted at the end of its retention period).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="101"/>
        <source>Tệp bị từ chối: %1</source>
        <translation>File refused: %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="134"/>
        <source>Lỗi không mong đợi.</source>
        <translation>Unexpected error.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/messages.py" line="140"/>
        <source>Mật khẩu cần ít nhất %n ký tự.</source>
        <translation>
            <numerusform>The password must have at least %n character.</numerusform>
            <numerusform>The password must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="144"/>
        <source>Tên đăng nhập gồm 2–64 chữ thường không dấu, chữ số, &apos;.&apos;, &apos;_&apos; hoặc &apos;-&apos;.</source>
        <translation>A username has 2–64 lower-case letters without accents, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="148"/>
        <source>Không có người dùng %1.</source>
        <translation>There is no operator %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="150"/>
        <source>Họ và tên cần từ 1 đến 128 ký tự.</source>
        <translation>A full name has 1 to 128 characters.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="152"/>
        <source>Tên đăng nhập %1 đã có người dùng.</source>
        <translation>The username %1 is already taken.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="156"/>
        <source>Không thể hạ quyền hoặc vô hiệu hóa quản trị viên đang hoạt động cuối cùng.</source>
        <translation>The last active administrator cannot be demoted or disabled.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="165"/>
        <source>Tên chương trình gồm 2–64 chữ thường không dấu, chữ số, &apos;.&apos;, &apos;_&apos; hoặc &apos;-&apos;.</source>
        <translation>A program name has 2-64 lower-case letters, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos;.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="169"/>
        <source>Đã có chương trình mang tên này.</source>
        <translation>There is already a program with this name.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="171"/>
        <source>Hãy chọn ít nhất một loại dữ liệu được nhận.</source>
        <translation>Choose at least one kind of data it may receive.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="174"/>
        <source>Địa chỉ trang web viết dạng https://tên-miền[:cổng], không có đường dẫn.</source>
        <translation>A web address is written https://domain[:port], without a path.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="181"/>
        <source>Không còn chương trình này.</source>
        <translation>This program is no longer there.</translation>
    </message>
</context>
<context>
    <name>AdminWindow</name>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="53"/>
        <source>Quản trị — Trạm đọc CCCD — %1</source>
        <translation>Administration — CCCD Station — %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="65"/>
        <source>Người &amp;dùng</source>
        <translation>&amp;Operators</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="66"/>
        <source>&amp;Nhật ký</source>
        <translation>&amp;Audit trail</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="67"/>
        <source>Hồ &amp;sơ đã lưu</source>
        <translation>Saved &amp;records</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="68"/>
        <source>&amp;Kho tin cậy</source>
        <translation>&amp;Trust store</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="69"/>
        <source>A&amp;PI</source>
        <translation>API &amp;keys</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="70"/>
        <source>&amp;Cài đặt</source>
        <translation>Settin&amp;gs</translation>
    </message>
    <message>
        <location filename="../../ui/admin/admin_window.py" line="108"/>
        <source>Quản trị</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>ApiClientDialog</name>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="51"/>
        <source>Thêm chương trình dùng API</source>
        <translation>Add a program using the API</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="61"/>
        <source>&amp;Tên:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="65"/>
        <source>Được nhận:</source>
        <translation>May receive:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="66"/>
        <source>Trang &amp;web được gọi
(mỗi dòng một địa chỉ):</source>
        <translation>&amp;Web pages calling
(one address a line):</translation>
    </message>
</context>
<context>
    <name>ApiClientsTab</name>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="32"/>
        <source>Nhân thân (số định danh, họ tên, ngày sinh, giới tính)</source>
        <translation>Identity (ID number, name, birth date, sex)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="33"/>
        <source>Quê quán, nơi thường trú</source>
        <translation>Place of origin, residence</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="34"/>
        <source>Cha, mẹ, vợ/chồng</source>
        <translation>Father, mother, spouse</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="35"/>
        <source>Dân tộc, tôn giáo, đặc điểm nhận dạng</source>
        <translation>Ethnicity, religion, identifying marks</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="36"/>
        <source>Ảnh chân dung</source>
        <translation>Portrait</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="37"/>
        <source>Kết quả từng bước kiểm tra</source>
        <translation>The result of each check</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="38"/>
        <source>Kết quả so khớp khuôn mặt (chỉ mức đánh giá)</source>
        <translation>Face comparison result (the band only)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="120"/>
        <source>Tên</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="121"/>
        <source>Được nhận</source>
        <translation>May receive</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="122"/>
        <source>Trang web</source>
        <translation>Web pages</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="123"/>
        <source>Thêm lúc</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="124"/>
        <source>Người thêm</source>
        <translation>Added by</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="129"/>
        <source>&amp;Thêm…</source>
        <translation>A&amp;dd…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="131"/>
        <source>&amp;Xóa</source>
        <translation>Re&amp;move</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="139"/>
        <source>Các chương trình này nhận kết quả đọc thẻ qua API cục bộ (bật trong thẻ Cài đặt); mỗi lần gửi dữ liệu được ghi vào nhật ký.</source>
        <translation>These programs receive card reads through the local API (turned on in the Settings tab); every release of data is written to the audit trail.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="181"/>
        <source>Đã thêm chương trình %1.</source>
        <translation>Program %1 added.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="192"/>
        <source>Đã xóa chương trình %1: mã truy cập của nó hết hiệu lực.</source>
        <translation>Program %1 removed: its token no longer works.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="209"/>
        <source>Hãy chọn một chương trình trong danh sách.</source>
        <translation>Choose a program in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="214"/>
        <source>Xóa chương trình</source>
        <translation>Remove program</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="215"/>
        <source>Xóa %1? Chương trình này sẽ không nhận được kết quả đọc thẻ nữa.</source>
        <translation>Remove %1? This program will receive no more card reads.</translation>
    </message>
</context>
<context>
    <name>AuditLabels</name>
    <message>
        <location filename="../../ui/admin/messages.py" line="196"/>
        <source>Xác thực đầy đủ</source>
        <translation>Fully verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="197"/>
        <source>Xác thực một phần</source>
        <translation>Partly verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="198"/>
        <source>Không đạt</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="199"/>
        <source>Không đọc được</source>
        <translation>Not read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="202"/>
        <source>Đọc thẻ</source>
        <translation>Card read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="203"/>
        <source>Đăng nhập</source>
        <translation>Sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="204"/>
        <source>Đăng xuất</source>
        <translation>Sign-out</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="205"/>
        <source>Đăng nhập sai</source>
        <translation>Failed sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="206"/>
        <source>Đăng nhập khi bị khóa</source>
        <translation>Sign-in while locked</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="207"/>
        <source>Đăng nhập tài khoản đã vô hiệu</source>
        <translation>Sign-in to a disabled account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="208"/>
        <source>Thêm người dùng</source>
        <translation>Operator added</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="209"/>
        <source>Đổi mật khẩu</source>
        <translation>Password changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="210"/>
        <source>Đổi vai trò</source>
        <translation>Role changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="211"/>
        <source>Vô hiệu hóa người dùng</source>
        <translation>Operator disabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="212"/>
        <source>Kích hoạt người dùng</source>
        <translation>Operator enabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="213"/>
        <source>Gỡ khóa đăng nhập</source>
        <translation>Sign-in unlocked</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="214"/>
        <source>Xem hồ sơ</source>
        <translation>Record viewed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="215"/>
        <source>Xuất hồ sơ</source>
        <translation>Records exported</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="216"/>
        <source>Xuất nhật ký</source>
        <translation>Audit trail exported</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="217"/>
        <source>Xóa hồ sơ quá hạn</source>
        <translation>Expired records deleted</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="218"/>
        <source>Nhập kho tin cậy</source>
        <translation>Trust store import</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="219"/>
        <source>Gỡ khỏi kho tin cậy</source>
        <translation>Trust store removal</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="220"/>
        <source>Nhận mục tin cậy từ máy chủ</source>
        <translation>Trust entry from the server</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="221"/>
        <source>Đổi cài đặt</source>
        <translation>Settings changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="222"/>
        <source>Gửi kết quả cho chương trình khác</source>
        <translation>Read released to another program</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="223"/>
        <source>Thêm chương trình dùng API</source>
        <translation>Add a program using the API</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="224"/>
        <source>Xóa chương trình dùng API</source>
        <translation>Remove a program using the API</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="227"/>
        <source>Sai khóa mở thẻ</source>
        <translation>Wrong card access key</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="228"/>
        <source>Cần dữ liệu MRZ</source>
        <translation>MRZ data needed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="229"/>
        <source>Thẻ bị rút ra</source>
        <translation>Card removed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="230"/>
        <source>Không có thẻ</source>
        <translation>No card</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="231"/>
        <source>Không có đầu đọc</source>
        <translation>No reader</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="232"/>
        <source>Lỗi kênh bảo mật</source>
        <translation>Secure messaging error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="233"/>
        <source>Thẻ không được hỗ trợ</source>
        <translation>Unsupported card</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="234"/>
        <source>Dữ liệu chip hỏng</source>
        <translation>Corrupt chip data</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="235"/>
        <source>Thẻ từ chối lệnh</source>
        <translation>Card refused a command</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="236"/>
        <source>Lỗi thẻ</source>
        <translation>Card error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="237"/>
        <source>Đã hủy</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="238"/>
        <source>Lỗi không mong đợi</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/messages.py" line="263"/>
        <source>Tất cả đạt</source>
        <translation>All passed</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="52"/>
        <source>Số CCCD / số hộ chiếu</source>
        <translation>CCCD or passport number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="55"/>
        <source>&amp;Từ ngày</source>
        <translation>&amp;From</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="57"/>
        <source>Đến ngà&amp;y</source>
        <translation>&amp;Until</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="67"/>
        <location filename="../../ui/admin/audit_tab.py" line="132"/>
        <source>Tất cả</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="68"/>
        <source>Xác thực đầy đủ</source>
        <translation>Fully verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="69"/>
        <source>Xác thực một phần</source>
        <translation>Partly verified</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="70"/>
        <source>Không đạt</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="71"/>
        <source>Không đọc được</source>
        <translation>Not read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="74"/>
        <source>Tì&amp;m</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="79"/>
        <source>Số &amp;giấy tờ:</source>
        <translation>Document &amp;number:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="81"/>
        <source>Ngườ&amp;i đọc:</source>
        <translation>Op&amp;erator:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="83"/>
        <source>Kết &amp;quả:</source>
        <translation>Resu&amp;lt:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="100"/>
        <source>Thời gian</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="101"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="102"/>
        <source>Người thao tác</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="103"/>
        <source>Máy trạm</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="104"/>
        <source>Đầu đọc</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="105"/>
        <source>Giao thức</source>
        <translation>Protocol</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="106"/>
        <source>Kết quả</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="107"/>
        <source>Lỗi</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="108"/>
        <source>Các bước kiểm tra</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="113"/>
        <source>Xuất CS&amp;V…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="115"/>
        <source>Xuất &amp;JSON…</source>
        <translation>Export &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="155"/>
        <source>Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự).</source>
        <translation>A document number has only letters and digits (at most 24 characters).</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/audit_tab.py" line="179"/>
        <source>%n sự kiện.</source>
        <translation>
            <numerusform>%n event.</numerusform>
            <numerusform>%n events.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="187"/>
        <source>Không ghi được tệp: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/audit_tab.py" line="192"/>
        <source>Đã xuất %n sự kiện.</source>
        <translation>
            <numerusform>Exported %n event.</numerusform>
            <numerusform>Exported %n events.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/audit_tab.py" line="197"/>
        <source>Xuất nhật ký</source>
        <translation>Export audit trail</translation>
    </message>
</context>
<context>
    <name>LocalApiIndicator</name>
    <message>
        <location filename="../../ui/admin/local_api.py" line="94"/>
        <source>API: không chạy được</source>
        <translation>API: not running</translation>
    </message>
    <message>
        <location filename="../../ui/admin/local_api.py" line="98"/>
        <source>API: %1</source>
        <translation>API: %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/local_api.py" line="100"/>
        <source>Các chương trình khác nhận kết quả đọc thẻ tại địa chỉ này.</source>
        <translation>Other programs receive card reads at this address.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/local_api.py" line="102"/>
        <source>Dấu vân tay chứng thư TLS (SHA-256): %1</source>
        <translation>TLS certificate fingerprint (SHA-256): %1</translation>
    </message>
</context>
<context>
    <name>OperatorDialog</name>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="32"/>
        <source>Đặt lại mật khẩu cho %1</source>
        <translation>Reset password for %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="34"/>
        <source>Thêm người dùng</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="40"/>
        <source>Nhân viên giao dịch</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="41"/>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="49"/>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="51"/>
        <source>&amp;Họ và tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="52"/>
        <source>&amp;Vai trò:</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="53"/>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="54"/>
        <source>&amp;Nhập lại mật khẩu:</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="68"/>
        <source>Hai mật khẩu không giống nhau.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>OperatorsTab</name>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="80"/>
        <source>Tên đăng nhập</source>
        <translation>Username</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="80"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="80"/>
        <source>Vai trò</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="80"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="85"/>
        <source>&amp;Thêm…</source>
        <translation>A&amp;dd…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="86"/>
        <source>Đổi &amp;vai trò</source>
        <translation>Change ro&amp;le</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="87"/>
        <source>Khóa / mở tài kh&amp;oản</source>
        <translation>Disa&amp;ble / enable account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="88"/>
        <source>&amp;Gỡ khóa đăng nhập</source>
        <translation>&amp;Unlock sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="89"/>
        <source>Đặt lại &amp;mật khẩu…</source>
        <translation>Reset &amp;password…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="106"/>
        <source>Bị khóa đăng nhập đến %1</source>
        <translation>Sign-in locked until %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="122"/>
        <source>Quản trị viên</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="122"/>
        <source>Nhân viên giao dịch</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="104"/>
        <source>Đã vô hiệu hóa</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="107"/>
        <source>Đang hoạt động</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="136"/>
        <source>Hãy chọn một người dùng trong danh sách.</source>
        <translation>Select an operator in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="156"/>
        <source>Đã thêm người dùng %1.</source>
        <translation>Added operator %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="163"/>
        <source>Đã đổi vai trò của %1.</source>
        <translation>Changed the role of %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="169"/>
        <source>Đã vô hiệu hóa %1.</source>
        <translation>Disabled %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="169"/>
        <source>Đã kích hoạt lại %1.</source>
        <translation>Re-enabled %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="177"/>
        <source>Đã gỡ khóa đăng nhập cho %1.</source>
        <translation>Unlocked sign-in for %1.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/operators_tab.py" line="184"/>
        <source>Đã đặt lại mật khẩu cho %1.</source>
        <translation>Reset the password for %1.</translation>
    </message>
</context>
<context>
    <name>RecordDialog</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="56"/>
        <source>Hồ sơ đã lưu</source>
        <translation>Saved record</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="59"/>
        <source>Lưu lúc:</source>
        <translation>Saved at:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="60"/>
        <source>Người lưu:</source>
        <translation>Saved by:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="67"/>
        <source>Không thời hạn</source>
        <translation>No expiry</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="75"/>
        <source>Kết quả xác thực:</source>
        <translation>Verification result:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="83"/>
        <source>(không có ảnh)</source>
        <translation>(no photo)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="88"/>
        <source>Đó&amp;ng</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>RecordFields</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="31"/>
        <source>Số định danh</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="32"/>
        <source>Họ và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="33"/>
        <location filename="../../ui/admin/records_tab.py" line="46"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="34"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="35"/>
        <location filename="../../ui/admin/records_tab.py" line="45"/>
        <source>Quốc tịch</source>
        <translation>Nationality</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="36"/>
        <source>Quê quán</source>
        <translation>Place of origin</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="37"/>
        <source>Nơi thường trú</source>
        <translation>Place of residence</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="38"/>
        <source>Ngày cấp</source>
        <translation>Date of issue</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="39"/>
        <location filename="../../ui/admin/records_tab.py" line="47"/>
        <source>Có giá trị đến</source>
        <translation>Valid until</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="42"/>
        <source>Số giấy tờ</source>
        <translation>Document number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="43"/>
        <source>Họ</source>
        <translation>Surname</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="44"/>
        <source>Tên</source>
        <translation>Given names</translation>
    </message>
</context>
<context>
    <name>RecordsTab</name>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="104"/>
        <source>Lọc theo số CCCD / hộ chiếu</source>
        <translation>Filter by CCCD or passport number</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="106"/>
        <source>&amp;Tìm</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="112"/>
        <source>Lưu lúc</source>
        <translation>Saved at</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="112"/>
        <source>Máy trạm</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="112"/>
        <source>Người lưu</source>
        <translation>Saved by</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="112"/>
        <source>Ảnh</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="115"/>
        <source>Kèm ảnh (c&amp;hỉ JSON)</source>
        <translation>Include &amp;photos (JSON only)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="119"/>
        <source>&amp;Xem</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="120"/>
        <source>Xuất CS&amp;V…</source>
        <translation>Export &amp;CSV…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="121"/>
        <source>Xuất &amp;JSON…</source>
        <translation>Export &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="122"/>
        <source>Xóa hồ sơ &amp;quá hạn</source>
        <translation>Delete e&amp;xpired records</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="140"/>
        <source>Số giấy tờ chỉ gồm chữ và số (tối đa 24 ký tự).</source>
        <translation>A document number has only letters and digits (at most 24 characters).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="152"/>
        <source>Có</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="152"/>
        <source>Không</source>
        <translation>No</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="158"/>
        <source>%n hồ sơ.</source>
        <translation>
            <numerusform>%n record.</numerusform>
            <numerusform>%n records.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="174"/>
        <location filename="../../ui/admin/records_tab.py" line="211"/>
        <source>Hãy chọn hồ sơ cần xuất.</source>
        <translation>Select the records to export.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="181"/>
        <source>Không ghi được tệp: %1</source>
        <translation>Cannot write the file: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="186"/>
        <source>Đã xuất %n hồ sơ.</source>
        <translation>
            <numerusform>Exported %n record.</numerusform>
            <numerusform>Exported %n records.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/records_tab.py" line="196"/>
        <source>Đã xóa %n hồ sơ quá thời hạn lưu.</source>
        <translation>
            <numerusform>Deleted %n record past its retention period.</numerusform>
            <numerusform>Deleted %n records past their retention period.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="202"/>
        <source>Hãy chọn một hồ sơ.</source>
        <translation>Select a record.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/records_tab.py" line="214"/>
        <source>Xuất hồ sơ</source>
        <translation>Export records</translation>
    </message>
</context>
<context>
    <name>SaveRecordAction</name>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="45"/>
        <source>&amp;Lưu hồ sơ</source>
        <translation>&amp;Save record</translation>
    </message>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="46"/>
        <source>Lưu thông tin và ảnh của người này (được mã hóa)</source>
        <translation>Save this person&apos;s details and photo (encrypted)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/record_actions.py" line="57"/>
        <source>Hãy đăng nhập trước khi lưu hồ sơ.</source>
        <translation>Sign in before saving a record.</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message numerus="yes">
        <location filename="../../ui/admin/settings_tab.py" line="114"/>
        <source> ngày</source>
        <translation>
            <numerusform> day</numerusform>
            <numerusform> days</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="57"/>
        <source> giây</source>
        <translation> seconds</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="67"/>
        <source>Cho các chương trình khác (HIS, BHYT…) nhận kết quả đọc thẻ</source>
        <translation>Let other programs (HIS, health insurance…) receive card reads</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="71"/>
        <source>Dùng TLS (bắt buộc khi máy khác trong mạng truy cập)</source>
        <translation>Use TLS (required when other computers on the network connect)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="81"/>
        <source>Tự bật camera sau mỗi lần đọc thẻ hợp lệ</source>
        <translation>Start the camera after every verified read</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="83"/>
        <source>Thờ&amp;i hạn lưu hồ sơ:</source>
        <translation>Keep saved records &amp;for:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="84"/>
        <source>Tự động &amp;xóa màn hình sau:</source>
        <translation>Auto-&amp;clear the screen after:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="85"/>
        <source>Cơ sở dữ liệu &amp;trung tâm:</source>
        <translation>Central &amp;database:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="86"/>
        <source>&amp;Mã máy trạm:</source>
        <translation>Station &amp;ID:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="87"/>
        <source>API cục &amp;bộ:</source>
        <translation>&amp;Local API:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="88"/>
        <source>Địa chỉ &amp;API:</source>
        <translation>API address and &amp;port:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="90"/>
        <source>Khuôn mặt &quot;rất &amp;giống&quot; khi khoảng cách dưới:</source>
        <translation>Face &quot;very likely the sa&amp;me&quot; below distance:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="91"/>
        <source>Khuôn mặt &quot;khác người&quot; từ kh&amp;oảng cách:</source>
        <translation>Face &quot;likel&amp;y a different person&quot; from distance:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="96"/>
        <source>&amp;Lưu cài đặt</source>
        <translation>&amp;Save settings</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="98"/>
        <source>&amp;Hoàn tác</source>
        <translation>Re&amp;vert</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="166"/>
        <source>Không có thay đổi.</source>
        <translation>No changes.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="172"/>
        <source>Mã máy trạm chỉ gồm chữ, số và . _ - (tối đa 64 ký tự).</source>
        <translation>A station ID has only letters, digits and . _ - (at most 64 characters).</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="174"/>
        <source>Ngưỡng &quot;rất giống&quot; phải nhỏ hơn hoặc bằng ngưỡng &quot;khác người&quot;.</source>
        <translation>The &quot;very likely the same&quot; threshold must not exceed the &quot;different person&quot; one.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="178"/>
        <source>Địa chỉ API viết dạng IP:cổng, ví dụ 127.0.0.1:8777; địa chỉ mà máy khác truy cập được cần bật TLS.</source>
        <translation>The API address is written IP:port, such as 127.0.0.1:8777; an address other computers can reach needs TLS.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="183"/>
        <source>Giá trị cài đặt không hợp lệ.</source>
        <translation>Invalid setting value.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/settings_tab.py" line="188"/>
        <source>Đã lưu cài đặt.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="36"/>
        <source>Đăng nhập — Trạm đọc CCCD</source>
        <translation>Sign in — CCCD Station</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="57"/>
        <source>Thông báo</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="60"/>
        <source>&amp;Tên đăng nhập:</source>
        <translation>&amp;Username:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="62"/>
        <source>&amp;Họ và tên:</source>
        <translation>&amp;Full name:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="63"/>
        <source>&amp;Mật khẩu:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="65"/>
        <source>&amp;Nhập lại mật khẩu:</source>
        <translation>&amp;Confirm password:</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="71"/>
        <source>Tạo tài khoản quản trị</source>
        <translation>Create administrator account</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="71"/>
        <source>Đăng nhập</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="75"/>
        <source>Thoát</source>
        <translation>Quit</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sign_in.py" line="91"/>
        <source>Lần chạy đầu tiên: hãy tạo tài khoản quản trị viên. Mật khẩu cần ít nhất %n ký tự.</source>
        <translation>
            <numerusform>First run: create an administrator account. The password must have at least %n character.</numerusform>
            <numerusform>First run: create an administrator account. The password must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="97"/>
        <source>Đăng nhập để sử dụng trạm đọc thẻ.</source>
        <translation>Sign in to use the card reading station.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="134"/>
        <source>Hãy nhập tên đăng nhập và mật khẩu.</source>
        <translation>Enter your username and password.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sign_in.py" line="140"/>
        <source>Hai mật khẩu không giống nhau.</source>
        <translation>The two passwords do not match.</translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="40"/>
        <source>Lỗi cơ sở dữ liệu</source>
        <translation>Database error</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="45"/>
        <source>Lần đồng bộ gần nhất: %1</source>
        <translation>Last sync: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="47"/>
        <source>Chưa cấu hình máy chủ · %n mục chờ gửi</source>
        <translation>
            <numerusform>No server configured · %n item waiting to be sent</numerusform>
            <numerusform>No server configured · %n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="48"/>
        <source>Chưa đặt địa chỉ cơ sở dữ liệu trung tâm.</source>
        <translation>The central database address is not set.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="50"/>
        <source>Không kết nối được máy chủ · %n mục chờ gửi</source>
        <translation>
            <numerusform>Cannot reach the server · %n item waiting to be sent</numerusform>
            <numerusform>Cannot reach the server · %n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/sync_indicator.py" line="53"/>
        <source>%n mục chờ gửi</source>
        <translation>
            <numerusform>%n item waiting to be sent</numerusform>
            <numerusform>%n items waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="55"/>
        <source>Đã đồng bộ</source>
        <translation>In sync</translation>
    </message>
    <message>
        <location filename="../../ui/admin/sync_indicator.py" line="57"/>
        <source>Đang chờ đồng bộ lần đầu</source>
        <translation>Waiting for the first sync</translation>
    </message>
</context>
<context>
    <name>TokenDialog</name>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="88"/>
        <source>Mã truy cập của %1</source>
        <translation>Token of %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="91"/>
        <source>Chép mã này vào cài đặt của chương trình %1. Mã chỉ hiện lần này: trạm chỉ giữ bản băm của nó. Mất mã thì xóa chương trình và thêm lại.</source>
        <translation>Copy this token into the settings of %1. It is shown only this once: the station keeps only its hash. If it is lost, remove the program and add it again.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/api_clients_tab.py" line="99"/>
        <source>&amp;Chép</source>
        <translation>&amp;Copy</translation>
    </message>
</context>
<context>
    <name>TrustTab</name>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="44"/>
        <source>Danh sách CSCA (master list)</source>
        <translation>CSCA master list</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="45"/>
        <source>Chứng thư CSCA</source>
        <translation>CSCA certificate</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="46"/>
        <source>Danh sách thu hồi (CRL)</source>
        <translation>Certificate revocation list (CRL)</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="50"/>
        <source>Nhập &amp;master list…</source>
        <translation>Import &amp;master list…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="51"/>
        <source>Nhập chứng thư CSC&amp;A…</source>
        <translation>Import &amp;CSCA certificate…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="52"/>
        <source>Nhập C&amp;RL…</source>
        <translation>Import CR&amp;L…</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="64"/>
        <source>Loại</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="65"/>
        <source>Nguồn</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="66"/>
        <source>Thời điểm nhập</source>
        <translation>Imported at</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="67"/>
        <source>Trạng thái</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="68"/>
        <location filename="../../ui/admin/trust_tab.py" line="75"/>
        <source>Quốc gia</source>
        <translation>Country</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="69"/>
        <source>Dấu vân tay SHA-256</source>
        <translation>SHA-256 fingerprint</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="75"/>
        <source>Chứng thư</source>
        <translation>Certificate</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="75"/>
        <source>Lý do</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="89"/>
        <source>Tin cậy</source>
        <translation>Trusted</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="92"/>
        <source>Nhận từ máy chủ trung tâm, bị từ chối: %1</source>
        <translation>Rejected from central: %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="93"/>
        <source>Bị từ chối: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="118"/>
        <source>Kho tin cậy đang dùng: %1 CSCA, %2 CRL.</source>
        <translation>Trust store in use — CSCA certificates: %1, CRLs: %2.</translation>
    </message>
    <message>
        <location filename="../../ui/admin/trust_tab.py" line="122"/>
        <source>Theo quốc gia: %1</source>
        <translation>By country: %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/trust_tab.py" line="128"/>
        <source>Bị từ chối (%n mục):</source>
        <translation>
            <numerusform>Refused (%n entry):</numerusform>
            <numerusform>Refused (%n entries):</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/trust_tab.py" line="149"/>
        <source>Đã nhập %1: %n mục được tin cậy</source>
        <translation>
            <numerusform>Imported %1: %n entry trusted</numerusform>
            <numerusform>Imported %1: %n entries trusted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/admin/trust_tab.py" line="151"/>
        <source>, %n mục bị từ chối (xem danh sách dưới).</source>
        <translation>
            <numerusform>, %n entry refused (see the list below).</numerusform>
            <numerusform>, %n entries refused (see the list below).</numerusform>
        </translation>
    </message>
</context>
</TS>
