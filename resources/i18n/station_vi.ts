<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>Card2021</name>
    <message>
        <location filename="../../ui/result_view.py" line="88"/>
        <source>No.</source>
        <translation>Số</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="89"/>
        <source>Place of origin</source>
        <translation>Quê quán</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="90"/>
        <source>Place of residence</source>
        <translation>Nơi thường trú</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="91"/>
        <source>Personal identification</source>
        <translation>Đặc điểm nhân dạng</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="92"/>
        <source>Date of expiry</source>
        <translation>Có giá trị đến</translation>
    </message>
</context>
<context>
    <name>Card2024</name>
    <message>
        <location filename="../../ui/result_view.py" line="98"/>
        <source>Personal identification number</source>
        <translation>Số định danh cá nhân</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="99"/>
        <source>Full name</source>
        <translation>Họ, chữ đệm và tên khai sinh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="100"/>
        <source>Date of birth</source>
        <translation>Ngày, tháng, năm sinh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="101"/>
        <source>Place of birth</source>
        <translation>Nơi đăng ký khai sinh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="102"/>
        <source>Place of residence</source>
        <translation>Nơi cư trú</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="103"/>
        <source>Date of issue</source>
        <translation>Ngày, tháng, năm cấp</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="104"/>
        <source>Date of expiry</source>
        <translation>Ngày, tháng, năm hết hạn</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location filename="../../ui/demo_panel.py" line="70"/>
        <source>Demo reader (virtual card)</source>
        <translation>Đầu đọc thử (thẻ ảo)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="71"/>
        <source>&amp;Card of:</source>
        <translation>Thẻ &amp;của:</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="72"/>
        <source>C&amp;ondition of the card:</source>
        <translation>Tình trạn&amp;g thẻ:</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="76"/>
        <source>Genuine</source>
        <translation>Thẻ thật</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="77"/>
        <source>Tampered (data changed)</source>
        <translation>Bị sửa (dữ liệu bị thay đổi)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="78"/>
        <source>Signed by an unknown authority</source>
        <translation>Ký bởi cơ quan không rõ</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="79"/>
        <source>Cloned chip</source>
        <translation>Chip bị sao chép</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="80"/>
        <source>Older chip (no copy protection)</source>
        <translation>Chip đời cũ (không chống sao chép)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="81"/>
        <source>Older chip (MRZ data only)</source>
        <translation>Chip đời cũ (chỉ mở bằng dữ liệu MRZ)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="89"/>
        <source>Remove card (F8)</source>
        <translation>Lấy thẻ ra (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="89"/>
        <source>Place card (F8)</source>
        <translation>Đặt thẻ (F8)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="92"/>
        <source>Unplug reader (F9)</source>
        <translation>Rút đầu đọc (F9)</translation>
    </message>
    <message>
        <location filename="../../ui/demo_panel.py" line="92"/>
        <source>Plug in reader (F9)</source>
        <translation>Cắm đầu đọc (F9)</translation>
    </message>
</context>
<context>
    <name>FacePanel</name>
    <message>
        <location filename="../../ui/face_panel.py" line="53"/>
        <source>Very likely the same person</source>
        <translation>Rất giống</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="54"/>
        <source>Look carefully</source>
        <translation>Cần xem kỹ</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="55"/>
        <source>Likely a different person</source>
        <translation>Khác người</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="164"/>
        <source>Is this the card&apos;s holder? Compare the face with the chip portrait.</source>
        <translation>Có phải chủ thẻ không? So khuôn mặt với ảnh chân dung trên chip.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="165"/>
        <source>F6 Camera</source>
        <translation>F6 Camera</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="166"/>
        <source>F7 Compare</source>
        <translation>F7 So khớp</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="172"/>
        <location filename="../../ui/face_panel.py" line="188"/>
        <source>Is this the card&apos;s holder?
(camera off)</source>
        <translation>Có phải chủ thẻ không?
(camera đang tắt)</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="237"/>
        <source>This card&apos;s chip holds no portrait: compare by eye.</source>
        <translation>Chip của thẻ này không có ảnh chân dung: hãy so bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="242"/>
        <source>The chip portrait cannot be read: compare by eye.</source>
        <translation>Không đọc được ảnh chân dung trên chip: hãy so bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="245"/>
        <location filename="../../ui/face_panel.py" line="246"/>
        <location filename="../../ui/face_panel.py" line="364"/>
        <source>Starting the camera…</source>
        <translation>Đang bật camera…</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="268"/>
        <source>The camera stopped giving pictures: is it still plugged in?</source>
        <translation>Camera không còn gửi hình: camera còn cắm không?</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="288"/>
        <location filename="../../ui/face_panel.py" line="366"/>
        <source>Comparing…</source>
        <translation>Đang so khớp…</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="328"/>
        <source>No face found in the camera picture: ask the person to face the camera, then press F7.</source>
        <translation>Không tìm thấy khuôn mặt trong ảnh camera: mời người đó nhìn thẳng vào camera, rồi bấm F7.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="335"/>
        <source>No face found in the chip portrait: compare by eye.</source>
        <translation>Không tìm thấy khuôn mặt trong ảnh chân dung trên chip: hãy so bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="340"/>
        <source>The camera cannot be opened: is it plugged in, and not used by another program?</source>
        <translation>Không mở được camera: camera đã cắm chưa, có chương trình khác đang dùng không?</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="343"/>
        <source>Face comparison is not available on this station.</source>
        <translation>Máy trạm này không có chức năng so khớp khuôn mặt.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="347"/>
        <source>Face comparison failed: compare by eye.</source>
        <translation>So khớp khuôn mặt bị lỗi: hãy so bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="354"/>
        <source>Camera off</source>
        <translation>Camera đang tắt</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="363"/>
        <source>Press F6 to compare the person&apos;s face with the chip portrait.</source>
        <translation>Bấm F6 để so khuôn mặt người đối diện với ảnh chân dung trên chip.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="365"/>
        <source>Ask the person to look at the camera, then press F7.</source>
        <translation>Mời người đó nhìn vào camera, rồi bấm F7.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="376"/>
        <source>Distance {distance:.2f} (thresholds {same:.2f} / {different:.2f}).</source>
        <translation>Khoảng cách {distance:.2f} (ngưỡng {same:.2f} / {different:.2f}).</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="384"/>
        <source>{count} faces in the picture: the largest was compared.</source>
        <translation>Ảnh có {count} khuôn mặt: đã so khuôn mặt lớn nhất.</translation>
    </message>
    <message>
        <location filename="../../ui/face_panel.py" line="388"/>
        <source>The station suggests; you decide.</source>
        <translation>Máy chỉ gợi ý; người quyết định là bạn.</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../ui/result_view.py" line="125"/>
        <source>No expiry</source>
        <translation>Không thời hạn</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="65"/>
        <source>ID number</source>
        <translation>Số định danh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="66"/>
        <location filename="../../ui/result_view.py" line="164"/>
        <source>Full name</source>
        <translation>Họ và tên</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="67"/>
        <location filename="../../ui/result_view.py" line="172"/>
        <source>Date of birth</source>
        <translation>Ngày sinh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="68"/>
        <location filename="../../ui/result_view.py" line="173"/>
        <source>Sex</source>
        <translation>Giới tính</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="69"/>
        <location filename="../../ui/result_view.py" line="171"/>
        <source>Nationality</source>
        <translation>Quốc tịch</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="70"/>
        <source>Ethnicity</source>
        <translation>Dân tộc</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="71"/>
        <source>Religion</source>
        <translation>Tôn giáo</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="72"/>
        <source>Place of origin</source>
        <translation>Quê quán</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="73"/>
        <source>Place of residence</source>
        <translation>Nơi thường trú</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="74"/>
        <source>Identifying marks</source>
        <translation>Đặc điểm nhận dạng</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="75"/>
        <source>Date of issue</source>
        <translation>Ngày cấp</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="76"/>
        <source>Valid until</source>
        <translation>Có giá trị đến</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="77"/>
        <source>Father&apos;s name</source>
        <translation>Họ tên cha</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="78"/>
        <source>Mother&apos;s name</source>
        <translation>Họ tên mẹ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="79"/>
        <source>Spouse&apos;s name</source>
        <translation>Họ tên vợ/chồng</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="80"/>
        <source>Old ID number</source>
        <translation>Số CMND cũ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="110"/>
        <source>Citizen Identity Card</source>
        <translation>Căn cước công dân</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="111"/>
        <source>Identity Card</source>
        <translation>Căn cước</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="133"/>
        <source>Card</source>
        <translation>Loại thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="138"/>
        <source>Chip field {number} (not interpreted)</source>
        <translation>Trường {number} trên chip (chưa diễn giải)</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="139"/>
        <source>(empty)</source>
        <translation>(trống)</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="158"/>
        <source>Document type</source>
        <translation>Loại giấy tờ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="159"/>
        <source>Issuing state</source>
        <translation>Nước cấp</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="160"/>
        <source>Document number</source>
        <translation>Số giấy tờ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="161"/>
        <source>Surname</source>
        <translation>Họ</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="162"/>
        <source>Given names</source>
        <translation>Tên</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="168"/>
        <source>Place of birth</source>
        <translation>Nơi sinh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="174"/>
        <source>Date of expiry</source>
        <translation>Ngày hết hạn</translation>
    </message>
</context>
<context>
    <name>KeyEntry</name>
    <message>
        <location filename="../../ui/key_entry.py" line="132"/>
        <source>ID &amp;number</source>
        <translation>&amp;Số định danh</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="133"/>
        <source>C&amp;AN</source>
        <translation>C&amp;AN</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="134"/>
        <source>&amp;MRZ</source>
        <translation>&amp;MRZ</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="135"/>
        <source>12-digit ID number (or scan the QR code on the card)</source>
        <translation>Số định danh 12 chữ số (hoặc quét mã QR trên thẻ)</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="136"/>
        <source>e.g. 001085014763</source>
        <translation>ví dụ 001085014763</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="137"/>
        <source>6-digit card access number (CAN), printed on the card</source>
        <translation>Mã truy cập thẻ (CAN) 6 chữ số, in trên thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="138"/>
        <source>Document number</source>
        <translation>Số giấy tờ</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="139"/>
        <source>Date of birth (dd/mm/yyyy)</source>
        <translation>Ngày sinh (dd/mm/yyyy)</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="140"/>
        <source>Date of expiry (dd/mm/yyyy)</source>
        <translation>Ngày hết hạn (dd/mm/yyyy)</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="141"/>
        <source>or paste the MRZ lines</source>
        <translation>hoặc dán các dòng MRZ</translation>
    </message>
    <message>
        <location filename="../../ui/key_entry.py" line="218"/>
        <source>Ready: place the card on the reader.</source>
        <translation>Sẵn sàng: đặt thẻ lên đầu đọc.</translation>
    </message>
</context>
<context>
    <name>KeyFormat</name>
    <message>
        <location filename="../../ui/texts.py" line="152"/>
        <source>The ID number has only digits.</source>
        <translation>Số định danh chỉ gồm chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="153"/>
        <source>The ID number has {expected} digits, not {given}.</source>
        <translation>Số định danh có {expected} chữ số, không phải {given}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="154"/>
        <source>The card access number (CAN) has {length} digits.</source>
        <translation>Mã truy cập thẻ (CAN) có {length} chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="155"/>
        <source>That date does not exist.</source>
        <translation>Ngày này không tồn tại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="156"/>
        <source>Dates are written dd/mm/yyyy.</source>
        <translation>Ngày được viết theo dạng dd/mm/yyyy.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="157"/>
        <source>The document number has letters A-Z and digits only.</source>
        <translation>Số giấy tờ chỉ gồm chữ cái A-Z và chữ số.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="158"/>
        <source>MRZ data are written DOCNO,YYMMDD,YYMMDD (document number, birth date, expiry date).</source>
        <translation>Dữ liệu MRZ được viết SỐGIẤYTỜ,YYMMDD,YYMMDD (số giấy tờ, ngày sinh, ngày hết hạn).</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="161"/>
        <source>These are not the machine readable lines of a document.</source>
        <translation>Đây không phải các dòng MRZ (vùng đọc bằng máy) của một giấy tờ.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="162"/>
        <source>A check digit in the MRZ is wrong: scan or type the lines again.</source>
        <translation>Một chữ số kiểm tra trong MRZ bị sai: quét hoặc nhập lại các dòng.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="163"/>
        <source>A key is one of: {kinds}.</source>
        <translation>Mã khóa là một trong: {kinds}.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="164"/>
        <source>This is not the QR code of a CCCD.</source>
        <translation>Đây không phải mã QR của thẻ CCCD.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="351"/>
        <source>CCCD Station</source>
        <translation>Trạm đọc CCCD</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="353"/>
        <source>DEMO — built-in virtual card with fictitious people; not a real document</source>
        <translation>DEMO — thẻ ảo có sẵn với người hư cấu; không phải giấy tờ thật</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="356"/>
        <source>&amp;File</source>
        <translation>&amp;Tệp</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="357"/>
        <source>&amp;Copy as text</source>
        <translation>&amp;Sao chép dạng văn bản</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="358"/>
        <source>Export &amp;JSON…</source>
        <translation>Xuất &amp;JSON…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="359"/>
        <source>&amp;Print…</source>
        <translation>&amp;In…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="360"/>
        <source>Save as P&amp;DF…</source>
        <translation>Lưu thành P&amp;DF…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="361"/>
        <source>&amp;Quit</source>
        <translation>&amp;Thoát</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="362"/>
        <source>&amp;Language</source>
        <translation>&amp;Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="363"/>
        <source>Switch language</source>
        <translation>Đổi ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="364"/>
        <source>&amp;Records</source>
        <translation>&amp;Hồ sơ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="365"/>
        <source>R&amp;ead (Enter)</source>
        <translation>Đọc thẻ (&amp;Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="366"/>
        <source>Done (Esc)</source>
        <translation>Xong (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="367"/>
        <source>Cancel (Esc)</source>
        <translation>Hủy (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="368"/>
        <source>Try &amp;again</source>
        <translation>&amp;Thử lại</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="468"/>
        <source>Type or scan the ID number, then place the card on the reader.</source>
        <translation>Nhập hoặc quét số định danh, rồi đặt thẻ lên đầu đọc.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="472"/>
        <source>demo reader</source>
        <translation>đầu đọc thử</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="474"/>
        <source>No card reader connected — plug one in</source>
        <translation>Chưa có đầu đọc thẻ — hãy cắm đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="475"/>
        <source>Reader ready ({reader}) — no card</source>
        <translation>Đầu đọc sẵn sàng ({reader}) — chưa có thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="476"/>
        <source>Card on the reader ({reader})</source>
        <translation>Có thẻ trên đầu đọc ({reader})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="477"/>
        <source>Reading the card… keep it still</source>
        <translation>Đang đọc thẻ… giữ yên thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="478"/>
        <location filename="../../ui/main_window.py" line="617"/>
        <source>Place the card again</source>
        <translation>Giữ thẻ trên đầu đọc…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="479"/>
        <source>Done ({reader})</source>
        <translation>Đã đọc xong ({reader})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="559"/>
        <source>Scanned from the QR code: {name}</source>
        <translation>Đã quét từ mã QR: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="466"/>
        <source>Now place the card on the reader.</source>
        <translation>Bây giờ đặt thẻ lên đầu đọc.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="619"/>
        <source>What was read is kept for {seconds} s: the reading goes on where it stopped.</source>
        <translation>Phần đã đọc được giữ lại {seconds} giây: đặt lại thẻ, việc đọc tiếp tục từ chỗ đã dừng.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="660"/>
        <source>This read was not recorded in the audit trail: {reason}.</source>
        <translation>Lần đọc này chưa được ghi vào nhật ký: {reason}.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="691"/>
        <source>Copied.</source>
        <translation>Đã sao chép.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="698"/>
        <source>Export JSON</source>
        <translation>Xuất JSON</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="726"/>
        <source>Save as PDF</source>
        <translation>Lưu thành PDF</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="121"/>
        <source>No card reader is attached: demo mode with a virtual card.</source>
        <translation>Không có đầu đọc thẻ: chạy chế độ thử với thẻ ảo.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/texts.py" line="56"/>
        <source>This chip opens only with the MRZ data</source>
        <translation>Chip này chỉ mở được bằng dữ liệu MRZ</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="57"/>
        <source>Open the MRZ tab (Alt+M) and type the document number, date of birth and date of expiry.</source>
        <translation>Mở thẻ MRZ (Alt+M) và nhập số giấy tờ, ngày sinh và ngày hết hạn.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="63"/>
        <source>The ID number or key does not open this card</source>
        <translation>Số định danh hoặc mã khóa không mở được thẻ này</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="64"/>
        <source>Compare the number with the one printed on the card, correct it and press Enter.</source>
        <translation>So sánh số đã nhập với số in trên thẻ, sửa lại rồi nhấn Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="69"/>
        <source>The card was moved away during reading</source>
        <translation>Thẻ bị di chuyển khi đang đọc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="70"/>
        <source>Place the card flat on the reader and leave it there until the result shows.</source>
        <translation>Đặt thẻ nằm phẳng trên đầu đọc và giữ nguyên cho đến khi có kết quả.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="75"/>
        <source>The card reader is not connected</source>
        <translation>Đầu đọc thẻ không được kết nối</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="76"/>
        <source>Plug the reader in again. Reading starts by itself when it is back.</source>
        <translation>Cắm lại đầu đọc. Việc đọc sẽ tự bắt đầu khi đầu đọc hoạt động lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="79"/>
        <source>There is no card on the reader</source>
        <translation>Không có thẻ trên đầu đọc</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="80"/>
        <source>Place the card on the reader.</source>
        <translation>Đặt thẻ lên đầu đọc.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="83"/>
        <source>This card is not supported</source>
        <translation>Không hỗ trợ loại thẻ này</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="84"/>
        <source>Only chip ID cards (CCCD) and electronic passports can be read. Check the document by eye.</source>
        <translation>Chỉ đọc được thẻ CCCD gắn chip và hộ chiếu điện tử. Hãy kiểm tra giấy tờ bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="44"/>
        <source>The chip&apos;s data is damaged or could not be read correctly</source>
        <translation>Dữ liệu trong chip bị hỏng hoặc không đọc được đúng</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="45"/>
        <source>Put the card back and try once more. If it happens again, check the document by eye.</source>
        <translation>Đặt lại thẻ và thử thêm một lần. Nếu vẫn lỗi, hãy kiểm tra giấy tờ bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="49"/>
        <source>The card could not be read</source>
        <translation>Không đọc được thẻ</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="42"/>
        <source>Put the card back on the reader and try again.</source>
        <translation>Đặt lại thẻ lên đầu đọc và thử lại.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="50"/>
        <source>Tell technical support; reads still work but are not recorded until it is fixed.</source>
        <translation>Hãy báo bộ phận kỹ thuật; vẫn đọc thẻ được nhưng chưa được ghi lại cho đến khi sửa xong.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="94"/>
        <source>The reader is busy with another read</source>
        <translation>Đầu đọc đang bận với một lần đọc khác</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="95"/>
        <source>Wait until that read ends, then press Enter.</source>
        <translation>Chờ lần đọc đó xong rồi nhấn Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="98"/>
        <source>The key is not complete</source>
        <translation>Mã khóa chưa đầy đủ</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="99"/>
        <source>Correct the number and press Enter.</source>
        <translation>Sửa lại số rồi nhấn Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="102"/>
        <source>The trust list was refused</source>
        <translation>Danh sách tin cậy bị từ chối</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="103"/>
        <source>Ask the administrator to import the trust list again.</source>
        <translation>Hãy nhờ quản trị viên nhập lại danh sách tin cậy.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="106"/>
        <source>The station&apos;s disk is full</source>
        <translation>Ổ đĩa của máy trạm đã đầy</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="110"/>
        <source>The station&apos;s database cannot be reached</source>
        <translation>Không mở được cơ sở dữ liệu của máy trạm</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="114"/>
        <source>The station&apos;s database is busy</source>
        <translation>Cơ sở dữ liệu của máy trạm đang bận</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="115"/>
        <source>Try again in a moment.</source>
        <translation>Hãy thử lại sau giây lát.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="118"/>
        <source>The station&apos;s database cannot be written</source>
        <translation>Không ghi được vào cơ sở dữ liệu của máy trạm</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="122"/>
        <source>The station&apos;s database failed</source>
        <translation>Cơ sở dữ liệu của máy trạm gặp lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="130"/>
        <source>Unexpected error</source>
        <translation>Lỗi không mong đợi</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="131"/>
        <source>Try again. If it keeps happening, tell technical support (details are in the log).</source>
        <translation>Hãy thử lại. Nếu lỗi lặp lại, báo cho bộ phận kỹ thuật (chi tiết có trong nhật ký).</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="175"/>
        <source>Issuer&apos;s signature on the data</source>
        <translation>Chữ ký của cơ quan cấp trên dữ liệu</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="176"/>
        <source>Signer certificate from a trusted authority</source>
        <translation>Chứng thư ký do cơ quan tin cậy cấp</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="177"/>
        <source>Signer certificate not revoked</source>
        <translation>Chứng thư ký chưa bị thu hồi</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="178"/>
        <source>Data unchanged since issue</source>
        <translation>Dữ liệu không bị thay đổi từ khi cấp</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="179"/>
        <source>Chip is genuine (chip authentication)</source>
        <translation>Chip là chip thật (xác thực chip)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="180"/>
        <source>Chip is genuine (active authentication)</source>
        <translation>Chip là chip thật (xác thực chủ động)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="181"/>
        <source>Printed code (MRZ) consistent</source>
        <translation>Vùng mã MRZ nhất quán</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="188"/>
        <source>passed</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="189"/>
        <source>FAILED</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="190"/>
        <source>not checked</source>
        <translation>không kiểm tra được</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="196"/>
        <source>Valid card</source>
        <translation>Thẻ hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="197"/>
        <source>Partly verified</source>
        <translation>Chỉ xác minh được một phần</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="198"/>
        <source>Card NOT valid</source>
        <translation>Thẻ KHÔNG hợp lệ</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="205"/>
        <source>The data is signed by a trusted authority, unchanged, and the chip proved it is genuine.</source>
        <translation>Dữ liệu được cơ quan tin cậy ký, không bị thay đổi, và chip đã chứng minh là chip thật.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="212"/>
        <source>Do not accept this document. Failed: {checks}. It may be forged or altered.</source>
        <translation>Không chấp nhận giấy tờ này. Không đạt: {checks}. Giấy tờ có thể bị làm giả hoặc bị sửa.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="215"/>
        <source>The data could not be fully verified. Not checked: {checks}. Check the document by eye.</source>
        <translation>Chưa xác minh được đầy đủ dữ liệu. Chưa kiểm tra: {checks}. Hãy kiểm tra giấy tờ bằng mắt.</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="222"/>
        <source>Chip is genuine (not a copy)</source>
        <translation>Chip là chip thật (không phải bản sao)</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="232"/>
        <source>Connecting to the card…</source>
        <translation>Đang kết nối với thẻ…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="233"/>
        <source>Opening the chip…</source>
        <translation>Đang mở chip…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="234"/>
        <source>Reading the data…</source>
        <translation>Đang đọc dữ liệu…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="235"/>
        <source>Reading the photo…</source>
        <translation>Đang đọc ảnh…</translation>
    </message>
    <message>
        <location filename="../../ui/texts.py" line="236"/>
        <source>Verifying…</source>
        <translation>Đang xác minh…</translation>
    </message>
</context>
<context>
    <name>ResultView</name>
    <message>
        <location filename="../../ui/result_view.py" line="298"/>
        <source>Details of the checks</source>
        <translation>Chi tiết các bước kiểm tra</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="328"/>
        <source>No photo</source>
        <translation>Không có ảnh</translation>
    </message>
    <message>
        <location filename="../../ui/result_view.py" line="333"/>
        <source>The chip&apos;s MRZ and its Vietnamese data differ on: {fields}</source>
        <translation>MRZ và dữ liệu tiếng Việt trong chip khác nhau ở: {fields}</translation>
    </message>
</context>
<context>
    <name>TextPreview</name>
    <message>
        <location filename="../../ui/text_preview.py" line="49"/>
        <source>Holder (checked against the issuer&apos;s signature)</source>
        <translation>Chủ thẻ (đã đối chiếu chữ ký của cơ quan cấp)</translation>
    </message>
    <message>
        <location filename="../../ui/text_preview.py" line="50"/>
        <source>Still reading the photo; the verdict follows.</source>
        <translation>Đang đọc ảnh; kết quả kiểm tra sẽ hiện ngay sau.</translation>
    </message>
</context>
</TS>
